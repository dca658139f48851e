#!/usr/bin/env node
// npm run soak -- --minutes 10 [--events-per-second 100]: runs test/soak/soak.soak-spec.ts under jest (for the
// run's own database and topic prefix), against the built apps (npm run build first; SUPPORTDESK_DIST to use
// another build directory).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const minutes = Number(option('minutes', '10'));
const eventsPerSecond = Number(option('events-per-second', '100'));
if (!(minutes > 0) || !(eventsPerSecond > 0)) {
  console.error('usage: npm run soak -- --minutes <n> [--events-per-second <n>]');
  process.exit(2);
}
const root = join(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest'), '--config', join(root, 'jest.soak.config.js'), '--runInBand'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SOAK_MINUTES: String(minutes), SOAK_EVENTS_PER_SECOND: String(eventsPerSecond) },
  },
);
process.exit(result.status ?? 1);
