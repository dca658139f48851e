import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  dir: string;
  /** PEM of the test CA: what a client trusts (KAFKA_SSL_CA_FILE). */
  caFile: string;
  /** PKCS12 keystore holding the broker's key and its certificate for 127.0.0.1, signed by the CA. */
  brokerKeystore: string;
  /** PKCS12 truststore holding the CA, for a listener that checks client certificates. */
  brokerTruststore: string;
  keystorePassword: string;
  /** A client certificate and key signed by the same CA (mutual TLS). */
  clientCertFile: string;
  clientKeyFile: string;
  remove(): void;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A throwaway CA and the certificates a TLS listener on 127.0.0.1 needs, made with openssl and keytool. */
export function createTlsMaterial(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
  const keystorePassword = 'test-keystore';
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const name of ['broker', 'client']) {
    openssl(
      dir,
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      `${name}.pem`,
    );
  }
  openssl(
    dir,
    'pkcs12',
    '-export',
    '-in',
    'broker.pem',
    '-inkey',
    'broker.key',
    '-certfile',
    'ca.pem',
    '-name',
    'broker',
    '-out',
    'broker.p12',
    '-passout',
    `pass:${keystorePassword}`,
  );
  execFileSync(
    'keytool',
    [
      '-importcert',
      '-noprompt',
      '-alias',
      'ca',
      '-file',
      'ca.pem',
      '-keystore',
      'truststore.p12',
      '-storetype',
      'PKCS12',
      '-storepass',
      keystorePassword,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    brokerKeystore: join(dir, 'broker.p12'),
    brokerTruststore: join(dir, 'truststore.p12'),
    keystorePassword,
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
