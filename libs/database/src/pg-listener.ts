import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface PgListenerOptions {
  url: string;
  channels: string[];
  applicationName: string;
  onNotification: (channel: string, payload: string) => void;
  /** Called whenever the connection is lost: notifications may have been missed. */
  onDisconnect?: () => void;
  onConnect?: () => void;
}

/**
 * A dedicated PostgreSQL connection that LISTENs on channels and reconnects by itself. NOTIFY is
 * transactional (delivered at commit), which makes it a cheap, exact invalidation signal across replicas.
 */
export class PgListener {
  private readonly logger = new Logger(PgListener.name);
  private client?: Client;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  connected = false;

  constructor(private readonly options: PgListenerOptions) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  /** NOTIFY on this listener's own connection (no pool connection needed); rejects when not connected. */
  async notify(channel: string, payload: string): Promise<void> {
    if (!this.client || !this.connected) throw new Error('PgListener is not connected');
    await this.client.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
    });
    this.client = client;
    client.on('notification', (msg) => this.options.onNotification(msg.channel, msg.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`LISTEN "${channel}"`);
      this.connected = true;
      this.options.onConnect?.();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.connected = false;
    this.options.onDisconnect?.();
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ err: error, channels: this.options.channels }, 'LISTEN connection lost; reconnecting');
    this.retryTimer = setTimeout(() => void this.connect(), 1000);
  }
}
