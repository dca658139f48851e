#!/usr/bin/env node
// Runs the built apps as a supervised local stack: N replicas of each on consecutive ports, an app that dies
// is restarted with backoff (and a log line) while the others keep serving, SIGINT/SIGTERM stop everything.
//   node scripts/supervise.js [--gateways N] [--projectors N] [--dispatchers N]
// Env: GATEWAY_PORT (3000), PROJECTOR_PORT (3001), DISPATCHER_PORT (3002): where each app's ports start (an
//      app's range moves up past the one before it when they would overlap); STACK_LOG_DIR: one log per replica.
// Plain JS so it runs without a TypeScript toolchain; the apps themselves are the built dist/.
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
/** The apps' heap flags, the same in every start path (package.json, Dockerfile, compose, tests, bench). */
const APP_NODE_FLAGS = require('./app-node-flags.json');
const APPS = [
  { name: 'gateway', flag: '--gateways', portVar: 'GATEWAY_PORT', port: 3000, entry: 'dist/apps/gateway/src/main.js' },
  { name: 'projector', flag: '--projectors', portVar: 'PROJECTOR_PORT', port: 3001, entry: 'dist/apps/projector/src/main.js' },
  { name: 'webhook-dispatcher', flag: '--dispatchers', portVar: 'DISPATCHER_PORT', port: 3002, entry: 'dist/apps/webhook-dispatcher/src/main.js' },
];
const MAX_BACKOFF_MS = 30_000;
/** A replica that stayed up this long is healthy again: its next crash restarts it after 1 s, not the last delay. */
const STABLE_MS = 60_000;

function say(message) {
  process.stderr.write(`[stack] ${message}\n`);
}

function parseArgs(argv) {
  const counts = Object.fromEntries(APPS.map((app) => [app.name, 1]));
  for (let i = 0; i < argv.length; i++) {
    const app = APPS.find((a) => a.flag === argv[i]);
    const count = Number(argv[i + 1]);
    if (!app || !Number.isInteger(count) || count < 0 || count > 20) {
      say(`usage: supervise.js [--gateways N] [--projectors N] [--dispatchers N] (0–20 each); got ${argv.slice(i).join(' ')}`);
      process.exit(2);
    }
    counts[app.name] = count;
    i++;
  }
  return counts;
}

/** Each app's replicas on consecutive ports from its base, moved past the previous app's range if they overlap. */
function layout(counts) {
  const replicas = [];
  let next = 0;
  for (const app of APPS) {
    const base = Math.max(Number(process.env[app.portVar] ?? app.port), next);
    for (let i = 0; i < counts[app.name]; i++)
      replicas.push({ app, id: `${app.name}#${i + 1}`, port: base + i, restarts: 0, backoffMs: 1000 });
    if (counts[app.name] > 0) next = base + counts[app.name];
  }
  return replicas;
}

const replicas = layout(parseArgs(process.argv.slice(2)));
const logDir = process.env.STACK_LOG_DIR;
if (logDir) {
  mkdirSync(logDir, { recursive: true });
  // For scripts/stack.sh: which port each replica got ("<app> <port>" lines).
  writeFileSync(join(logDir, 'ports'), replicas.map((r) => `${r.app.name} ${r.port}\n`).join(''));
}
let stopping = false;

function start(replica) {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, join(ROOT, replica.app.entry)], {
    cwd: ROOT,
    env: { ...process.env, [replica.app.portVar]: String(replica.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  replica.child = child;
  const log = logDir ? createWriteStream(join(logDir, `${replica.id.replace('#', '-')}.log`), { flags: 'a' }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      process.stdout.write(chunk);
      log?.write(chunk);
    });
  }
  say(`started ${replica.id} on port ${replica.port} (pid ${child.pid})`);
  child.once('exit', (code, signal) => {
    log?.end();
    replica.child = undefined;
    if (stopping) return;
    if (Date.now() - startedAt > STABLE_MS) replica.backoffMs = 1000;
    const delay = replica.backoffMs;
    replica.backoffMs = Math.min(replica.backoffMs * 2, MAX_BACKOFF_MS);
    replica.restarts++;
    say(
      `${replica.id} (port ${replica.port}) exited (${signal ?? `code ${code}`}); restart ${replica.restarts} in ${delay / 1000} s — the others keep serving`,
    );
    replica.timer = setTimeout(() => start(replica), delay);
  });
}

function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping ${replicas.length} apps`);
  for (const replica of replicas) clearTimeout(replica.timer);
  const running = replicas.filter((r) => r.child);
  if (running.length === 0) process.exit(0);
  let left = running.length;
  for (const replica of running) {
    replica.child.once('exit', () => {
      if (--left === 0) {
        say('stopped');
        process.exit(0);
      }
    });
    replica.child.kill('SIGTERM');
  }
  // The apps drain within SHUTDOWN_TIMEOUT_MS (25 s); past that, nothing is left behind.
  setTimeout(() => {
    for (const replica of replicas) replica.child?.kill('SIGKILL');
    process.exit(1);
  }, 35_000).unref();
}

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
for (const replica of replicas) start(replica);
