import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { DispatcherEnv, GatewayEnv, loadConfig, ProjectorEnv } from '@app/config';
import { ROOT } from '@test/support/infra-state';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
}

const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};

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
      const entry = service.command?.[1] ?? '';
      expect(entry).toMatch(/^dist\/apps\/.+\/main\.js$/);
      expect(existsSync(join(ROOT, entry))).toBe(true);
    },
  );
});
