import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What global setup started, for global teardown (they run in the same process, but state is kept on disk for safety). */
export interface InfraState {
  runId: string;
  databaseUrl: string;
  kafkaBrokers: string;
  topicPrefix: string;
  startedBroker: boolean;
  containers: string[];
}

export const ROOT = join(__dirname, '..', '..');
const STATE_DIR = join(ROOT, '.cache', 'test-runs');

export function saveState(state: InfraState): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(join(STATE_DIR, `${state.runId}.json`), JSON.stringify(state));
}

export function loadState(runId: string): InfraState | undefined {
  const file = join(STATE_DIR, `${runId}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as InfraState) : undefined;
}

export function kafkaScript(command: 'start' | 'stop' | 'status', env: NodeJS.ProcessEnv = {}): boolean {
  const result = spawnSync('bash', [join(ROOT, 'scripts', 'kafka.sh'), command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status === 0;
}
