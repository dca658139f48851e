import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

/**
 * The shared broker and PostgreSQL server the bench runs against: the ones `npm run stack` uses, or, when
 * called from the test suite, the jest run's (KAFKA_BROKERS, and DATABASE_URL's server).
 */
export interface Infra {
  brokers: string[];
  /** The server's `postgres` database: scenario databases are created and dropped through it. */
  adminUrl: string;
}

export function infraFromEnv(env: NodeJS.ProcessEnv = process.env): Infra {
  const url = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/supportdesk');
  url.pathname = '/postgres';
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    adminUrl: url.toString(),
  };
}

/** A database URL on the same server as `infra`. */
export function databaseUrl(infra: Infra, name: string): string {
  const url = new URL(infra.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function kafkaClient(infra: Infra, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: infra.brokers, logLevel: logLevel.ERROR });
}

/** Fails fast, with a message naming the missing piece, before any scenario starts. */
export async function checkInfra(infra: Infra): Promise<void> {
  const client = new Client({ connectionString: infra.adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${infra.adminUrl}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const admin = kafkaClient(infra, 'bench-check').admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    throw new Error(`Kafka is not reachable at ${infra.brokers.join(',')}: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
