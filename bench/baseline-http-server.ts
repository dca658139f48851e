import { newId } from '@app/contracts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The ingest-single baseline: a bare node:http server that reads and parses the same body and answers 201 with
 * the same envelope, but validates nothing, authenticates nobody and writes nothing to Kafka. What is left is
 * the cost of HTTP and JSON on this machine: the ceiling any gateway here could approach.
 */
export class BaselineHttpServer {
  private constructor(private readonly server: Server) {}

  static async start(customerIds: Map<string, string>): Promise<BaselineHttpServer> {
    const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const dto = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
        const now = new Date().toISOString();
        const data = {
          id: newId('cev'),
          customerId: customerIds.get(dto.customerExternalId) ?? null,
          type: dto.type,
          payload: dto.payload ?? {},
          occurredAt: dto.occurredAt ?? now,
          createdAt: now,
        };
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ success: true, data, timestamp: now }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new BaselineHttpServer(server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
