import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { countLines, FatalImportError, runImport } from '../import';
import { importFileProblem, integerIn } from './import-options';

interface ImportCommandOptions {
  file: string;
  apiKey?: string;
  gatewayUrl: string;
  concurrency: number;
  batchSize: number;
  json?: boolean;
  progress: boolean;
  allowRejects?: boolean;
}

/** Exit code of a finished import that rejected lines (without --allow-rejects). */
export const EXIT_REJECTED_LINES = 2;

export function registerImportCommand(program: Command, env: NodeJS.ProcessEnv): void {
  program
    .command('import')
    .description('Historical import of an NDJSON file of events through the batch endpoint (resumable)')
    .requiredOption(
      '--file <events.ndjson>',
      'one event per line: { customerExternalId, type, payload?, occurredAt? }',
    )
    .option('--api-key <key>', 'X-API-Key (prefer $SUPPORTDESK_API_KEY: an argument shows in `ps`)')
    .option('--gateway-url <url>', 'gateway base URL', env.SUPPORTDESK_GATEWAY_URL ?? 'http://localhost:3000')
    .option('--concurrency <n>', 'batches in flight (at least 1)', integerIn(1), 4)
    .option('--batch-size <n>', 'events per batch (1 to 1000)', integerIn(1, 1000), 500)
    .option('--allow-rejects', `exit 0 even when lines were rejected (otherwise ${EXIT_REJECTED_LINES})`)
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the summary as one JSON object')
    .action(async (options: ImportCommandOptions) => {
      const apiKey = options.apiKey || env.SUPPORTDESK_API_KEY;
      if (!apiKey) throw new Error('An API key is required: set SUPPORTDESK_API_KEY (or pass --api-key)');
      const problem = importFileProblem(options.file);
      if (problem) throw new Error(`import: ${problem}`);
      const { concurrency, batchSize } = options;
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      process.once('SIGTERM', () => abort.abort());

      const showBar = options.progress && !options.json && process.stderr.isTTY;
      const bar = new SingleBar(
        {
          format:
            'import |{bar}| {percentage}% | {value}/{total} lines | {rate} lines/s | ETA {eta_formatted} | accepted {accepted} rejected {rejected}',
          stream: process.stderr,
        },
        Presets.shades_classic,
      );
      const started = Date.now();
      if (showBar) bar.start(await countLines(options.file), 0, { rate: 0, accepted: 0, rejected: 0 });
      try {
        const summary = await runImport({
          file: options.file,
          apiKey,
          gatewayUrl: options.gatewayUrl,
          concurrency,
          batchSize,
          signal: abort.signal,
          onProgress: (p) => {
            const rate = Math.round(p.linesThisRun / Math.max(0.001, (Date.now() - started) / 1000));
            if (showBar) bar.update(p.linesDone, { rate, accepted: p.accepted, rejected: p.rejected });
            else if (!options.json)
              process.stderr.write(`\r${p.linesDone} lines, ${p.accepted} accepted, ${p.rejected} rejected`);
          },
        });
        bar.stop();
        if (options.json) console.log(JSON.stringify(summary));
        else {
          console.log(
            `\n${summary.interrupted ? 'interrupted (run the same command again to resume)' : 'done'}: ` +
              `${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.blank} blank ` +
              `of ${summary.totalLines} lines` +
              (summary.resumedFrom ? ` (resumed after line ${summary.resumedFrom})` : '') +
              ` in ${(summary.durationMs / 1000).toFixed(1)}s (${summary.linesPerSecond} lines/s)` +
              (summary.rejected ? `; rejected lines with their errors: ${summary.rejectsFile}` : ''),
          );
        }
        if (summary.interrupted) process.exitCode = 130;
        else if (summary.rejected > 0 && !options.allowRejects) process.exitCode = EXIT_REJECTED_LINES;
      } catch (error) {
        bar.stop();
        if (error instanceof FatalImportError) {
          console.error(
            `import stopped: ${error.message}; progress is saved, run the same command again to resume`,
          );
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}
