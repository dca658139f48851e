import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Command } from 'commander';
import { loadConfigOrExit, ProjectorEnv } from '@app/config';
import { ReadModelRebuild, RebuildModule } from '../../../projector/src/rebuild';

/** Library logs (Nest, kafkajs, the consumer) go to stderr, so `--json` leaves exactly one line on stdout. */
const stderrLogger: LoggerService = {
  log: () => undefined,
  error: (message: unknown) => process.stderr.write(`${JSON.stringify(message)}\n`),
  warn: (message: unknown) => process.stderr.write(`${JSON.stringify(message)}\n`),
};

async function rebuild(options: { json?: boolean; groupId?: string }): Promise<void> {
  Logger.overrideLogger(stderrLogger);
  const config = loadConfigOrExit(ProjectorEnv);
  let reported = 0;
  const app = await NestFactory.createApplicationContext(
    RebuildModule.forRoot(config, {
      groupId: options.groupId ?? `${config.PROJECTOR_GROUP_ID}-rebuild-${Date.now()}`,
      onProgress: ({ phase, messagesLeft }) => {
        if (options.json || Date.now() - reported < 2000) return;
        reported = Date.now();
        process.stderr.write(`${phase}: ${messagesLeft} messages left\n`);
      },
    }),
    { abortOnError: false },
  );
  try {
    const report = await app.get(ReadModelRebuild).run();
    if (options.json) console.log(JSON.stringify(report));
    else
      console.log(
        `read models rebuilt and swapped in: ${report.timelineItems} timeline items, ` +
          `${report.customers} customers, ${report.tombstones} deleted customers`,
      );
  } finally {
    await app.close();
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
