/** The broker did not acknowledge in time; nothing may be reported as accepted. */
export class BrokerUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`Kafka did not acknowledge: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'BrokerUnavailableError';
  }
}
