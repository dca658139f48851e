import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, sleep } from '@test/support/eventually';
import { ROOT } from '@test/support/infra-state';
import { useOwnTopics } from '@test/support/own-topics';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ready(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status;
  } catch {
    return 0;
  }
}

/** scripts/supervise.js, which `npm run stack` runs the apps under, with two projector replicas. */
describe('the supervised local stack (scripts/supervise.js)', () => {
  const base = 20000 + Math.floor(Math.random() * 30000);
  // --projectors 2: gateway, two projectors and the dispatcher on consecutive ports.
  const ports = { gateway: base, projector1: base + 1, projector2: base + 2, dispatcher: base + 3 };
  const logDir = mkdtempSync(join(tmpdir(), 'stack-'));
  let supervisor: ChildProcess;
  let output = '';

  const pidOf = (replica: string, nth = 1): number => {
    const matches = [...output.matchAll(new RegExp(`started ${replica} on port \\d+ \\(pid (\\d+)\\)`, 'g'))];
    return Number(matches[nth - 1]?.[1]);
  };

  beforeAll(async () => {
    await useOwnTopics('stack');
    supervisor = spawn(process.execPath, [join(ROOT, 'scripts', 'supervise.js'), '--projectors', '2'], {
      cwd: ROOT,
      env: {
        ...process.env,
        GATEWAY_PORT: String(ports.gateway),
        PROJECTOR_PORT: String(ports.projector1),
        DISPATCHER_PORT: String(ports.dispatcher),
        PROJECTOR_GROUP_ID: `stack-${randomBytes(4).toString('hex')}`,
        DISPATCHER_GROUP_ID: `stack-${randomBytes(4).toString('hex')}`,
        DATABASE_POOL_SIZE: '3',
        STACK_LOG_DIR: logDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    supervisor.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervisor.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      async () => {
        for (const port of Object.values(ports)) expect(await ready(port)).toBe(200);
      },
      90_000,
      250,
    );
  });

  afterAll(async () => {
    if (supervisor.exitCode === null && supervisor.signalCode === null) {
      const exited = new Promise((resolve) => supervisor.once('exit', resolve));
      supervisor.kill('SIGTERM');
      await exited;
    }
    rmSync(logDir, { recursive: true, force: true });
  });

  it('restarts a SIGKILLed replica with a log line while the other apps keep answering', async () => {
    const victim = pidOf('projector#2');
    expect(alive(victim)).toBe(true);
    process.kill(victim, 'SIGKILL');

    const others = [ports.gateway, ports.projector1, ports.dispatcher];
    const answers: number[] = [];
    await eventually(
      async () => {
        answers.push(...(await Promise.all(others.map(ready))));
        expect(pidOf('projector#2', 2)).toBeGreaterThan(0);
        expect(await ready(ports.projector2)).toBe(200);
      },
      90_000,
      200,
    );
    expect(output).toContain(`projector#2 (port ${ports.projector2}) exited (SIGKILL); restart 1 in 1 s`);
    expect(pidOf('projector#2', 2)).not.toBe(victim);
    // Every probe of the others while it was down and coming back was answered ready.
    expect(answers.length).toBeGreaterThan(others.length);
    expect(answers.filter((status) => status !== 200)).toEqual([]);
  });

  it('stops every app on SIGTERM (what Ctrl-C sends) and exits 0', async () => {
    const pids = ['gateway#1', 'projector#1', 'webhook-dispatcher#1']
      .map((r) => pidOf(r))
      .concat(pidOf('projector#2', 2));
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
    supervisor.kill('SIGTERM');
    expect(await exited).toBe(0);
    await sleep(100);
    expect(pids.filter(alive)).toEqual([]);
  });
});
