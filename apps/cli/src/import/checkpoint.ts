import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface CheckpointState {
  /** Every line up to and including this one is done (accepted or rejected). */
  linesDone: number;
  accepted: number;
  rejected: number;
}

/**
 * Progress of an import, saved next to the file. Batches finish out of order under concurrency, so only the
 * longest run of finished lines from the start counts; lines after it are resent on resume (harmless: their
 * idempotency keys make the gateway answer as before without storing anything again).
 */
export class Checkpoint {
  private readonly finished = new Map<number, { last: number; accepted: number; rejected: number }>();
  state: CheckpointState;

  constructor(private readonly path: string) {
    this.state = existsSync(path)
      ? (JSON.parse(readFileSync(path, 'utf8')) as CheckpointState)
      : { linesDone: 0, accepted: 0, rejected: 0 };
  }

  /** A batch covering lines first..last finished. */
  finish(first: number, last: number, accepted: number, rejected: number): void {
    this.finished.set(first, { last, accepted, rejected });
    for (
      let next = this.finished.get(this.state.linesDone + 1);
      next;
      next = this.finished.get(this.state.linesDone + 1)
    ) {
      this.finished.delete(this.state.linesDone + 1);
      this.state = {
        linesDone: next.last,
        accepted: this.state.accepted + next.accepted,
        rejected: this.state.rejected + next.rejected,
      };
    }
  }

  /** Lines skipped at the start of a batch (blank lines) still count as done. */
  skip(line: number): void {
    this.finish(line, line, 0, 0);
  }

  save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.path);
  }
}
