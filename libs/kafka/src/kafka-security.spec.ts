import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommonEnv, loadConfig } from '@app/config';
import { kafkaSecurityOf } from './kafka-security';
import { setupProblemOf } from './kafka-setup.error';

describe(kafkaSecurityOf.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const ca = write('ca.pem', 'CA PEM');
  const cert = write('cert.pem', 'CERT PEM');
  const key = write('key.pem', 'KEY PEM');
  const password = write('password', 's3cret\n');
  const sut = (env: NodeJS.ProcessEnv) => kafkaSecurityOf(loadConfig(CommonEnv, env));

  it('is plaintext without SASL by default', () => {
    expect(sut({})).toEqual({});
  });

  it('maps mutual TLS to the CA, certificate and key read from their files', () => {
    expect(
      sut({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key }),
    ).toEqual({ ssl: { rejectUnauthorized: true, ca: ['CA PEM'], cert: 'CERT PEM', key: 'KEY PEM' } });
  });

  it('uses the system CAs when no CA file is given, and may be told not to verify', () => {
    expect(sut({ KAFKA_SSL: 'true', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' })).toEqual({
      ssl: { rejectUnauthorized: false },
    });
  });

  it('reads a SASL password mounted as a file without its trailing newline', () => {
    expect(
      sut({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'app',
        KAFKA_SASL_PASSWORD_FILE: password,
      }),
    ).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'app', password: 's3cret' } });
  });
});

describe(setupProblemOf.name, () => {
  it('names the SASL variables for an authentication failure, however deeply kafkajs wrapped it', () => {
    const auth = Object.assign(new Error('SASL SCRAM SHA512 authentication failed'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const wrapped = Object.assign(new Error('retries exceeded'), { originalError: auth });
    expect(setupProblemOf(wrapped)).toMatch(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
  });

  it('names the TLS variables for a certificate the client does not trust', () => {
    const tls = Object.assign(new Error('Connection error: self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(setupProblemOf(tls)).toMatch(/KAFKA_SSL_CA_FILE/);
  });

  it('leaves an unreachable cluster to the retries (not a settings problem)', () => {
    expect(
      setupProblemOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBeUndefined();
  });
});
