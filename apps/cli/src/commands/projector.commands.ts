import { Logger, type LoggerService } from '@nestjs/common';
import type { Command } from 'commander';
import { TOPICS, prefixedTopic } from '@app/contracts';
import { loadConfigOrExit, ProjectorEnv } from '@app/config';
import { openDataSource } from '@app/database';
import { createKafkaClient, KafkaPublisher, kafkaOptionsOf } from '@app/kafka';
import { ReadModelRebuild } from '../../../projector/src/rebuild/read-model-rebuild';

/** Library logs (kafkajs, the consumer runner) go to stderr, so `--json` leaves exactly one line on stdout. */
const stderrLogger: LoggerService = {
  log: () => undefined,
  error: (message: unknown) => process.stderr.write(`${JSON.stringify(message)}\n`),
  warn: (message: unknown) => process.stderr.write(`${JSON.stringify(message)}\n`),
};

async function rebuild(options: { json?: boolean; groupId?: string }): Promise<void> {
  Logger.overrideLogger(stderrLogger);
  const config = loadConfigOrExit(ProjectorEnv);
  const groupId = options.groupId ?? `${config.PROJECTOR_GROUP_ID}-rebuild-${Date.now()}`;
  const kafka = createKafkaClient(kafkaOptionsOf(config, 'projector-rebuild'));
  const publisher = new KafkaPublisher(kafka, { lingerMs: 2, maxBatchMessages: 1000, timeoutMs: 5000 });
  const db = await openDataSource({
    url: config.DATABASE_URL,
    poolSize: 6,
    applicationName: 'projector-rebuild',
  });
  let reported = 0;
  try {
    const report = await new ReadModelRebuild(db, kafka, publisher, {
      eventsTopic: prefixedTopic(config.KAFKA_TOPIC_PREFIX, TOPICS.customerEvents),
      changesTopic: prefixedTopic(config.KAFKA_TOPIC_PREFIX, TOPICS.customerChanges),
      groupId,
      sessionTimeoutMs: config.PROJECTOR_SESSION_TIMEOUT_MS ?? config.KAFKA_SESSION_TIMEOUT_MS,
      onProgress: ({ phase, messagesLeft }) => {
        if (options.json || Date.now() - reported < 2000) return;
        reported = Date.now();
        process.stderr.write(`${phase}: ${messagesLeft} messages left\n`);
      },
    }).run();
    if (options.json) console.log(JSON.stringify(report));
    else
      console.log(
        `read models rebuilt and swapped in: ${report.timelineItems} timeline items, ` +
          `${report.customers} customers, ${report.tombstones} deleted customers`,
      );
  } finally {
    await publisher.onApplicationShutdown();
    await db.destroy();
  }
}

export function registerProjectorCommands(program: Command): void {
  program
    .command('projector')
    .description('Projector operations')
    .command('rebuild')
    .description(
      'Rebuild the read models from the topics (a new consumer group from the earliest retained offset) into ' +
        'fresh tables, then swap them in; the API keeps serving the old ones meanwhile',
    )
    .option('--group-id <id>', 'consumer group for the rebuild (default: <PROJECTOR_GROUP_ID>-rebuild-<ms>)')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean; groupId?: string }) => rebuild(options));
}
