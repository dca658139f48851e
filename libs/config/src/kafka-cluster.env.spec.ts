import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliEnv, minInsyncReplicasOf } from './cli.env';
import { GatewayEnv } from './gateway.env';
import { configProblems } from '@test/support/config-problems';
import { loadConfig } from './load-config';

const problems = (env: NodeJS.ProcessEnv) => configProblems(GatewayEnv, env);

describe('Kafka cluster settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-env-'));
  const file = join(dir, 'secret');
  writeFileSync(file, 'x\n');

  it('default to a plaintext cluster without SASL, a 10 s session and a 1 s heartbeat', () => {
    expect(loadConfig(GatewayEnv, {})).toMatchObject({
      KAFKA_SSL: false,
      KAFKA_SSL_REJECT_UNAUTHORIZED: true,
      KAFKA_SASL_MECHANISM: '',
      KAFKA_SESSION_TIMEOUT_MS: 10000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 1000,
    });
  });

  it('accept SASL over TLS with the password from a mounted file', () => {
    expect(
      problems({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: file,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'app',
        KAFKA_SASL_PASSWORD_FILE: file,
      }),
    ).toEqual([]);
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, /^KAFKA_SASL_MECHANISM: .*plain, scram-sha-256, scram-sha-512/],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' }, /^KAFKA_SASL_USERNAME: .*exactly one of/],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }, /^KAFKA_SASL_PASSWORD: .*exactly one of/],
    [
      {
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_SASL_PASSWORD_FILE: file,
      },
      /^KAFKA_SASL_PASSWORD: .*exactly one of/,
    ],
    [{ KAFKA_SASL_PASSWORD: 'p' }, /^KAFKA_SASL_PASSWORD: .*KAFKA_SASL_MECHANISM is not/],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') },
      /^KAFKA_SSL_CA_FILE: .*readable file/,
    ],
    [{ KAFKA_SSL_CA_FILE: file }, /^KAFKA_SSL_CA_FILE: .*needs KAFKA_SSL=true/],
    [{ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: file }, /^KAFKA_SSL_CERT_FILE: .*set together/],
    [{ KAFKA_SSL: 'yes' }, /^KAFKA_SSL: /],
    [
      { KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '3000' },
      /^KAFKA_HEARTBEAT_INTERVAL_MS: .*a third/,
    ],
  ])('refuse %j at boot, naming the variable', (env, message) => {
    expect(problems(env)).toContainEqual(expect.stringMatching(message));
  });
});

describe(minInsyncReplicasOf.name, () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [5, 2],
  ])('with replication %i and no setting is %i', (replication, expected) => {
    expect(minInsyncReplicasOf(loadConfig(CliEnv, { KAFKA_REPLICATION_FACTOR: String(replication) }))).toBe(
      expected,
    );
  });

  it('takes KAFKA_MIN_INSYNC_REPLICAS when set, and refuses one above the replication', () => {
    expect(
      minInsyncReplicasOf(
        loadConfig(CliEnv, { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '3' }),
      ),
    ).toBe(3);
    expect(() =>
      loadConfig(CliEnv, { KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' }),
    ).toThrow(/KAFKA_MIN_INSYNC_REPLICAS cannot exceed KAFKA_REPLICATION_FACTOR/);
  });
});
