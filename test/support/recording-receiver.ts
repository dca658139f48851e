import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from './eventually';

/** One webhook attempt as the receiver saw it. A delivery is one (target, event) pair. */
export interface ReceivedAttempt {
  delivery: string;
  eventId: string;
  targetId: string;
  attemptNumber: number;
  attemptId: string;
  status: number;
  /** Attempts of the same delivery already in progress here when this one arrived. */
  overlapping: number;
  startedAt: number;
  endedAt?: number;
}

export interface ReceiverOptions {
  /** Share of requests answered 500, chosen at random. */
  failureRate?: number;
  /** Each answer is held this long (a random value in the range), so overlapping attempts would be seen. */
  holdMs?: [number, number];
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/**
 * A webhook receiver that fails a share of requests at random and records, per delivery, every attempt and
 * how many attempts of that delivery were in progress at once.
 */
export class RecordingReceiver {
  readonly attempts: ReceivedAttempt[] = [];
  private readonly inProgress = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    private readonly options: ReceiverOptions,
  ) {}

  static async start(options: ReceiverOptions = {}): Promise<RecordingReceiver> {
    const server = createServer();
    const receiver = new RecordingReceiver(server, options);
    server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        void receiver.answer(req).then((status) => {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status === 200 ? 'ok' : 'try again');
        });
      });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hooks'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  private async answer(req: IncomingMessage): Promise<number> {
    const targetId = header(req, 'plain-webhook-target-id');
    const eventId = header(req, 'plain-event-id');
    const delivery = `${targetId}/${eventId}`;
    const overlapping = this.inProgress.get(delivery) ?? 0;
    this.inProgress.set(delivery, overlapping + 1);
    const status = Math.random() < (this.options.failureRate ?? 0) ? 500 : 200;
    const attempt: ReceivedAttempt = {
      delivery,
      eventId,
      targetId,
      attemptNumber: Number(header(req, 'plain-webhook-delivery-attempt-number')),
      attemptId: header(req, 'plain-webhook-delivery-attempt-id'),
      status,
      overlapping,
      startedAt: Date.now(),
    };
    this.attempts.push(attempt);
    const [min, max] = this.options.holdMs ?? [0, 0];
    if (max > 0) await sleep(min + Math.random() * (max - min));
    attempt.endedAt = Date.now();
    this.inProgress.set(delivery, (this.inProgress.get(delivery) ?? 1) - 1);
    return status;
  }

  /** Attempts per delivery, in the order they arrived. */
  byDelivery(): Map<string, ReceivedAttempt[]> {
    const map = new Map<string, ReceivedAttempt[]>();
    for (const attempt of this.attempts) {
      const list = map.get(attempt.delivery) ?? [];
      list.push(attempt);
      map.set(attempt.delivery, list);
    }
    return map;
  }

  /** Deliveries whose latest attempt was answered 2xx. */
  delivered(): Set<string> {
    return new Set(
      [...this.byDelivery()].filter(([, list]) => list[list.length - 1].status === 200).map(([key]) => key),
    );
  }

  /**
   * What must be empty for a correct dispatcher: attempt numbers that are not 1, 2, 3 … in arrival order,
   * attempts of one delivery in progress at the same time, and attempts after one that succeeded.
   */
  violations(options: { allowAttemptsAfterSuccess?: boolean } = {}) {
    const notConsecutive: string[] = [];
    const concurrent: string[] = [];
    const afterSuccess: string[] = [];
    for (const [delivery, list] of this.byDelivery()) {
      const numbers = list.map((a) => a.attemptNumber);
      if (numbers.some((n, i) => n !== i + 1)) notConsecutive.push(`${delivery}: ${numbers.join(',')}`);
      if (list.some((a) => a.overlapping > 0)) concurrent.push(delivery);
      const firstSuccess = list.findIndex((a) => a.status === 200);
      if (!options.allowAttemptsAfterSuccess && firstSuccess >= 0 && firstSuccess < list.length - 1)
        afterSuccess.push(`${delivery}: ${list.map((a) => `${a.attemptNumber}:${a.status}`).join(',')}`);
    }
    return { notConsecutive, concurrent, afterSuccess };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
