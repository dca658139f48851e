import { type Admin, Kafka, logLevel } from 'kafkajs';

/** Runs `work` with a connected admin client of the cluster at `brokers`, and disconnects it whatever happens. */
export async function withKafkaAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
