import { newId } from '@app/contracts';
import { Linger } from '@app/kafka/linger';
import Ajv from 'ajv';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The ingest body's rules, as one JSON schema compiled once (the gateway's rules, not its code). */
const EVENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['customerExternalId', 'type'],
  properties: {
    customerExternalId: { type: 'string', minLength: 1, maxLength: 255 },
    type: { type: 'string', pattern: '^[a-z0-9_.]{1,100}$' },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    payload: { type: 'object' },
    // RFC 3339 with an offset; the calendar date is checked below.
    occurredAt: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
    },
  },
} as const;

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_PAYLOAD_BYTES = 32 * 1024;

interface EventBody {
  customerExternalId: string;
  type: string;
  title?: string;
  payload?: Record<string, unknown>;
  occurredAt?: string;
}

interface Pending {
  message: Message;
  done: (error?: Error) => void;
}

export interface FloorOptions {
  kafka: Kafka;
  topic: string;
  apiKey: string;
  workspaceId: string;
  customerIds: Map<string, string>;
  /** The gateway's defaults: KAFKA_LINGER_MS and KAFKA_MAX_BATCH_MESSAGES. */
  lingerMs: number;
  maxBatchMessages: number;
}

/**
 * The ingest floor: the least a Node process must do to honour the ingest contract with kafkajs. `node:http`,
 * the same body checks (one compiled JSON-schema validator, the calendar date, the 32 KiB payload), the API key
 * and the customer from in-memory maps, the same message, micro-batched with the gateway's linger and
 * acknowledged with acks=all before the 201 with the same envelope. No framework, no logs, no metrics: what
 * is left is HTTP, JSON, validation and kafkajs.
 */
export class FloorIngestServer {
  private readonly server: Server;
  private readonly linger: Linger<Pending>;
  private readonly validate = new Ajv({ allErrors: false }).compile<EventBody>(EVENT_SCHEMA);

  private constructor(
    private readonly producer: Producer,
    private readonly options: FloorOptions,
  ) {
    this.linger = new Linger({ lingerMs: options.lingerMs, maxWeight: options.maxBatchMessages }, (batch) =>
      this.send(batch),
    );
    this.server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => this.handle(req, res));
  }

  static async start(options: FloorOptions): Promise<FloorIngestServer> {
    const producer = options.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const floor = new FloorIngestServer(producer, options);
    await new Promise<void>((resolve) => floor.server.listen(0, '127.0.0.1', resolve));
    return floor;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST' || req.url !== '/api/v1/customer-events') return answer(res, 404, 'NOT_FOUND');
    if (req.headers['x-api-key'] !== this.options.apiKey) return answer(res, 401, 'UNAUTHORIZED');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return answer(res, 413, 'PAYLOAD_TOO_LARGE');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch {
        return answer(res, 400, 'VALIDATION_ERROR');
      }
      if (!this.validate(body)) return answer(res, 400, 'VALIDATION_ERROR');
      if (body.occurredAt !== undefined && Number.isNaN(Date.parse(body.occurredAt))) {
        return answer(res, 400, 'VALIDATION_ERROR');
      }
      const payload = body.payload ?? {};
      const payloadJson = JSON.stringify(payload);
      if (Buffer.byteLength(payloadJson) > MAX_PAYLOAD_BYTES) return answer(res, 413, 'PAYLOAD_TOO_LARGE');
      const customerId = this.options.customerIds.get(body.customerExternalId);
      if (customerId === undefined) return answer(res, 404, 'CUSTOMER_NOT_FOUND');
      const createdAt = new Date().toISOString();
      const event = {
        id: newId('cev'),
        workspaceId: this.options.workspaceId,
        customerId,
        customerExternalId: body.customerExternalId,
        type: body.type,
        title: body.title ?? null,
        payload,
        occurredAt: body.occurredAt ? new Date(body.occurredAt).toISOString() : createdAt,
        createdAt,
      };
      this.publish({ key: customerId, value: JSON.stringify(event) }, (error) => {
        if (error) return answer(res, 503, 'SERVICE_UNAVAILABLE');
        const data = {
          id: event.id,
          customerId,
          type: event.type,
          title: event.title,
          payload,
          occurredAt: event.occurredAt,
          createdAt,
        };
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ success: true, data, timestamp: new Date().toISOString() }));
      });
    });
  }

  private publish(message: Message, done: (error?: Error) => void): void {
    this.linger.push({ message, done });
  }

  private send(batch: Pending[]): void {
    this.producer.send({ topic: this.options.topic, messages: batch.map((p) => p.message), acks: -1 }).then(
      () => batch.forEach((p) => p.done()),
      (error: Error) => batch.forEach((p) => p.done(error)),
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await this.producer.disconnect();
  }
}

function answer(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(
    JSON.stringify({
      success: false,
      error: { code, message: code, details: [] },
      timestamp: new Date().toISOString(),
    }),
  );
}
