import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppProcess, DIST_DIR } from '@test/support/app-process';
import { freePort } from '@test/support/free-port';
import { ROOT } from '@test/support/infra-state';

describe('the Kafka check at boot', () => {
  it('stops an app whose topics do not exist, naming them and the command that creates them', async () => {
    const prefix = `missing-${randomBytes(4).toString('hex')}.`;
    const child = spawn(process.execPath, [join(ROOT, DIST_DIR, 'apps/projector/src/main.js')], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_TOPIC_PREFIX: prefix, PROJECTOR_PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(output).toContain(
      `Topics missing on KAFKA_BROKERS=${process.env.KAFKA_BROKERS}: ${prefix}customer-events.v1`,
    );
    expect(output).toContain('npm run cli -- topics create');
  });

  it('warns in production about topics replicated fewer than 3 times, and serves', async () => {
    const gateway = await AppProcess.start('gateway', { NODE_ENV: 'production' });
    try {
      expect(gateway.logs).toMatch(/Topic has fewer than 3 replicas/);
      expect(gateway.logs).toContain(`${process.env.KAFKA_TOPIC_PREFIX}customer-events.v1`);
    } finally {
      await gateway.stop();
    }
  });
});
