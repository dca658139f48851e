/** customer-events.v1 is keyed by customerId so one customer's events keep their order. */
export type CustomerEventKey = string;
