import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The compiled tree this harness runs from (`dist/`, or a developer's own `--outDir`): the apps and the
 * workers are found beside it, so a bench always measures the build it was compiled with.
 */
export const DIST_ROOT = join(__dirname, '..');

export const APP_ENTRY = {
  gateway: join(DIST_ROOT, 'apps/gateway/src/main.js'),
  projector: join(DIST_ROOT, 'apps/projector/src/main.js'),
  'webhook-dispatcher': join(DIST_ROOT, 'apps/webhook-dispatcher/src/main.js'),
} as const;

export type AppName = keyof typeof APP_ENTRY;

export function workerEntry(name: string): string {
  return join(__dirname, 'workers', `${name}.worker.js`);
}

/** The repository (results and README live there): the nearest parent holding this project's package.json. */
export const REPO_ROOT = findRepoRoot(DIST_ROOT);

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'supportdesk-events') return dir;
    }
    if (dirname(dir) === dir) throw new Error(`No supportdesk-events package.json above ${from}`);
  }
}
