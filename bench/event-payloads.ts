/**
 * Realistic customer events: a handful of business shapes whose request body (externalId, type, payload) is
 * about 300 bytes, like what a shop or SaaS backend sends.
 */
const CURRENCIES = ['USD', 'EUR', 'GBP'];
const PLANS = ['starter', 'growth', 'business'];

export interface EventShape {
  type: string;
  payload: Record<string, unknown>;
}

export function eventShape(n: number): EventShape {
  const { type, payload } = businessShape(n);
  const ref = (1_000_000 + n).toString(36);
  return {
    type,
    payload: { ...payload, source: 'shop-backend', requestId: `req_${ref}${(n * 7919).toString(36)}` },
  };
}

function businessShape(n: number): EventShape {
  const ref = (1_000_000 + n).toString(36);
  switch (n % 4) {
    case 0:
      return {
        type: 'order.placed',
        payload: {
          orderId: `ord_${ref}`,
          total: 149.9 + (n % 100),
          currency: CURRENCIES[n % 3],
          items: [
            { sku: `sku_${(n % 977).toString(36)}`, quantity: 1 + (n % 3), unitPrice: 49.9 },
            { sku: `sku_${(n % 613).toString(36)}`, quantity: 1, unitPrice: 50.1 },
          ],
          channel: 'web',
        },
      };
    case 1:
      return {
        type: 'subscription.upgraded',
        payload: {
          subscriptionId: `sub_${ref}`,
          fromPlan: PLANS[n % 2],
          toPlan: PLANS[(n % 2) + 1],
          seats: 5 + (n % 20),
          mrrDelta: 120 + (n % 50),
          currency: CURRENCIES[n % 3],
          effectiveFrom: '2026-04-18T10:00:00Z',
          salesRep: 'rep_0042',
        },
      };
    case 2:
      return {
        type: 'order.shipped',
        payload: {
          orderId: `ord_${ref}`,
          carrier: 'UPS',
          trackingNumber: `1Z999AA1${(n % 1e8).toString().padStart(8, '0')}`,
          estimatedDelivery: '2026-04-21',
          warehouse: 'ams-2',
          parcels: 1 + (n % 2),
          address: { city: 'Amsterdam', country: 'NL', postcode: '1012 AB' },
        },
      };
    default:
      return {
        type: 'support.csat_submitted',
        payload: {
          ticketRef: `T-${ref}`,
          score: 1 + (n % 5),
          comment: 'Quick answer, the refund was processed the same day. Thanks!',
          agent: 'agent_17',
          channel: 'email',
          language: 'en',
        },
      };
  }
}

/** The JSON body of POST /customer-events for this customer. */
export function eventBody(customerExternalId: string, n: number): string {
  const { type, payload } = eventShape(n);
  return JSON.stringify({ customerExternalId, type, payload });
}

/** externalIds of the customers a scenario creates: `<prefix><n>`, so workers get them from two numbers. */
export function externalIdOf(prefix: string, n: number): string {
  return `${prefix}${n.toString().padStart(6, '0')}`;
}
