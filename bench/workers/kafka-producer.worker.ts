import { newId } from '@app/contracts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { customerEventMessage, syntheticCustomers, toKafkaMessage } from '../customer-event-messages';
import { workerMain } from '../run-worker';

export interface ProducerJob {
  brokers: string[];
  topic: string;
  concurrency: number;
  batchSize: number;
  customers: number;
  warmupS: number;
  durationS: number;
}

export interface ProducerSummary {
  /** This process's CPU time per event sent (warm-up included), in milliseconds. */
  cpuMsPerEvent: number;
  durationS: number;
  events: number;
  batches: number;
  eventsPerS: number;
}

/**
 * The batch-ingest baseline: what a bare kafkajs producer achieves with the gateway's message shape, batches of
 * the same size, acks=all, and as many sends in flight as the load generator has connections.
 */
workerMain(async (job: ProducerJob): Promise<ProducerSummary> => {
  const kafka = new Kafka({
    clientId: 'bench-baseline-producer',
    brokers: job.brokers,
    logLevel: logLevel.ERROR,
  });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const workspaceId = newId('w');
  const customers = syntheticCustomers('bb_', job.customers);
  let n = 0;
  const start = performance.now();
  const measureFrom = start + job.warmupS * 1000;
  const end = measureFrom + job.durationS * 1000;
  let events = 0;
  let batches = 0;
  let sentTotal = 0;
  const cpuBefore = process.cpuUsage();
  const loop = async () => {
    while (performance.now() < end) {
      const messages = Array.from({ length: job.batchSize }, () =>
        toKafkaMessage(
          customerEventMessage(workspaceId, customers[Math.floor(Math.random() * customers.length)], n++),
        ),
      );
      await producer.send({ topic: job.topic, messages, acks: -1 });
      // Counted like the load generator counts responses: acknowledged within the measured window.
      const ackedAt = performance.now();
      sentTotal += messages.length;
      if (ackedAt >= measureFrom && ackedAt <= end) {
        events += messages.length;
        batches += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  await producer.disconnect();
  return {
    cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / sentTotal,
    durationS: job.durationS,
    events,
    batches,
    eventsPerS: events / job.durationS,
  };
});
