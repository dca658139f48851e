/** customer-changes.v1 is keyed by customerId so one customer's changes keep their order. */
export type CustomerChangeKey = string;
