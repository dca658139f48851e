export const DELIVERY_STATUSES = ['pending', 'in_progress', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
