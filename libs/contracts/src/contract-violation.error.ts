/** A message on a topic does not match its contract; consumers send it to the DLQ. */
export class ContractViolationError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'ContractViolationError';
  }
}
