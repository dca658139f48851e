import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { DispatcherEnv, GatewayEnv, loadConfig, ProjectorEnv } from '@app/config';
import { ROOT } from '@test/support/infra-state';

interface ComposeService {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  restart?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('is accepted by docker-compose config', () => {
    // npm test installs Debian's docker-compose when it is missing; without it this test fails loudly.
    expect(() =>
      execFileSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config', '-q']),
    ).not.toThrow();
  });

  it('runs the official Kafka 3.9.1 and PostgreSQL 16 images and builds the apps from the one Dockerfile', () => {
    expect(compose.services.kafka.image).toBe('apache/kafka:3.9.1');
    expect(compose.services.postgres.image).toBe('postgres:16');
    expect(compose.services.init.build).toBe('.');
    for (const app of ['gateway', 'projector', 'webhook-dispatcher']) {
      expect(compose.services[app].image).toBe(compose.services.init.image);
    }
  });

  it.each([
    ['gateway', GatewayEnv],
    ['projector', ProjectorEnv],
    ['webhook-dispatcher', DispatcherEnv],
  ] as const)(
    'gives %s an environment its config schema accepts and an entry point the build produces',
    (name, schema) => {
      const service = compose.services[name];
      // The image sets NODE_ENV=production (Dockerfile), which makes some variables required.
      const environment = { NODE_ENV: 'production', ...service.environment };
      expect(() => loadConfig(schema as new () => object, environment)).not.toThrow();
      // The command is node, the heap flags (scripts/app-node-flags.json), then the entry point.
      const entry = service.command?.at(-1) ?? '';
      expect(entry).toMatch(/^dist\/apps\/.+\/main\.js$/);
      expect(existsSync(join(ROOT, entry))).toBe(true);
    },
  );

  it('never pulls the app image (it is built here) and restarts the long-running services', () => {
    expect(compose.services.init.pull_policy).toBe('build');
    for (const app of ['gateway', 'projector', 'webhook-dispatcher', 'seed']) {
      expect(compose.services[app].pull_policy).toBe('never');
    }
    for (const service of ['kafka', 'postgres', 'gateway', 'projector', 'webhook-dispatcher']) {
      expect(compose.services[service].restart).toBe('unless-stopped');
    }
    expect(compose.services.init.restart).toBe('no');
  });

  it("keeps Kafka's data in a volume, as PostgreSQL's", () => {
    expect(compose.services.kafka.environment?.KAFKA_LOG_DIRS).toBe('/var/lib/kafka/data');
    expect(compose.services.kafka.volumes).toContain('kafkadata:/var/lib/kafka/data');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['pgdata', 'kafkadata']));
  });

  it('seeds, once the gateway is healthy, the dev workspace (printing its key) and the customer user_42', () => {
    const seed = compose.services.seed;
    expect(seed.depends_on).toEqual({ gateway: { condition: 'service_healthy' } });
    const script = seed.command?.join(' ') ?? '';
    expect(script).toContain('api-keys create --workspace dev');
    expect(script).toContain('/api/v1/customers/user_42');
    expect(script).toContain('export SUPPORTDESK_API_KEY=');
  });

  it('builds on a supported Node LTS, with the syntax line first and a HEALTHCHECK', () => {
    expect(dockerfile.split('\n')[0]).toMatch(/^# syntax=docker\/dockerfile:1/);
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(bases.length).toBeGreaterThan(0);
    for (const major of bases) expect([22, 24]).toContain(major);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/health\/ready/m);
  });
});
