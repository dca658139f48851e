import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '@test/support/api-client';
import { AppProcess, DIST_DIR } from '@test/support/app-process';
import { eventually } from '@test/support/eventually';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { freePort } from '@test/support/free-port';
import { ROOT } from '@test/support/infra-state';
import { PrivateBroker } from '@test/support/private-broker';
import { createTlsMaterial, type TlsMaterial } from '@test/support/tls-material';
import { createCustomer, postEvent } from './gateway-helpers';

const USER = 'supportdesk';
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

/** Runs a built entry point to completion with the given environment; resolves with its exit code and output. */
function run(entry: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, DIST_DIR, entry), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * A broker of this file's own whose only client listener is SASL_SSL (SCRAM-SHA-512 user created when its data
 * dir is formatted, certificate signed by a CA made here): the CLI, the gateway and the projector reach it with
 * the KAFKA_SSL_* and KAFKA_SASL_* settings alone. Its PLAINTEXT listener serves the controller and readiness
 * checks only; nothing under test is given its address.
 */
describe('Kafka over SASL_SSL (SCRAM-SHA-512, TLS with a private CA)', () => {
  let tls: TlsMaterial;
  let broker: PrivateBroker;
  let secureBrokers: string;
  let mtlsBrokers: string;
  let clientEnv: Record<string, string>;
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX!}sasl-${randomBytes(3).toString('hex')}.`;
  let gateway: AppProcess | undefined;
  let projector: AppProcess | undefined;

  beforeAll(async () => {
    tls = createTlsMaterial();
    const [port, controllerPort, securePort, mtlsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    secureBrokers = `127.0.0.1:${securePort}`;
    mtlsBrokers = `127.0.0.1:${mtlsPort}`;
    broker = new PrivateBroker(port, prefix, {
      controllerPort,
      addScram: `SCRAM-SHA-512=[name=${USER},password=${PASSWORD}]`,
      properties: {
        listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort},SASL_SSL://127.0.0.1:${securePort},SSL://127.0.0.1:${mtlsPort}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},SASL_SSL://127.0.0.1:${securePort},SSL://127.0.0.1:${mtlsPort}`,
        'listener.security.protocol.map':
          'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL',
        // Mutual TLS on the SSL listener: a client without a certificate signed by the CA is refused.
        'listener.name.ssl.ssl.client.auth': 'required',
        'ssl.truststore.type': 'PKCS12',
        'ssl.truststore.location': tls.brokerTruststore,
        'ssl.truststore.password': tls.keystorePassword,
        'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'ssl.keystore.type': 'PKCS12',
        'ssl.keystore.location': tls.brokerKeystore,
        'ssl.keystore.password': tls.keystorePassword,
      },
    });
    await broker.destroy();
    await broker.start();
    const passwordFile = join(tls.dir, 'kafka-password');
    writeFileSync(passwordFile, `${PASSWORD}\n`);
    clientEnv = {
      KAFKA_BROKERS: secureBrokers,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: tls.caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: USER,
      // As a Kubernetes or Docker secret mounts it: a file ending in a newline.
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
      KAFKA_PARTITIONS: '3',
    };
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), projector?.stop()]);
    await broker?.destroy();
    tls?.remove();
  });

  it('creates the topics with the CLI, and carries an event from the gateway through Kafka to the timeline', async () => {
    const created = await run('apps/cli/src/main.js', ['topics', 'create'], clientEnv);
    expect(created).toMatchObject({ code: 0 });
    expect(created.output).toContain(`created topics: ${prefix}customer-events.v1`);

    [gateway, projector] = await Promise.all([
      AppProcess.start('gateway', clientEnv),
      AppProcess.start('projector', {
        ...clientEnv,
        PROJECTOR_GROUP_ID: `sasl-${randomBytes(4).toString('hex')}`,
      }),
    ]);
    const { apiKey } = await createApiKey();
    const externalId = uniqueExternalId();
    await createCustomer(gateway.url, apiKey, externalId);
    const posted = await postEvent(gateway.url, apiKey, {
      customerExternalId: externalId,
      type: 'order.placed',
      payload: { orderId: 'ord_sasl' },
    });
    expect(posted.status).toBe(201);

    await eventually(async () => {
      const timeline = await request(projector!.url, 'GET', `/api/v1/customers/${externalId}/timeline`, {
        apiKey,
      });
      expect(timeline.status).toBe(200);
      expect(JSON.stringify(timeline.body)).toContain(posted.body.data.id);
    }, 60_000);
  });

  it('stops an app at boot when the password is wrong, naming the variables to check', async () => {
    const { code, output } = await run('apps/gateway/src/main.js', [], {
      ...clientEnv,
      KAFKA_SASL_PASSWORD_FILE: '',
      KAFKA_SASL_PASSWORD: 'not-the-password',
      GATEWAY_PORT: String(await freePort()),
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /Kafka refused the SASL credentials: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
    expect(output).not.toContain('not-the-password');
  });

  it('stops an app at boot when the broker certificate is not signed by a trusted CA, naming KAFKA_SSL_CA_FILE', async () => {
    const { code, output } = await run('apps/gateway/src/main.js', [], {
      ...clientEnv,
      KAFKA_SSL_CA_FILE: '',
      GATEWAY_PORT: String(await freePort()),
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/TLS to Kafka failed .*check KAFKA_SSL_CA_FILE/);
  });

  it('reaches the cluster over mutual TLS with a client certificate, and not without one', async () => {
    const mtls = {
      KAFKA_BROKERS: mtlsBrokers,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: tls.caFile,
      KAFKA_PARTITIONS: '3',
    };
    const withCertificate = await run('apps/cli/src/main.js', ['topics', 'create'], {
      ...mtls,
      KAFKA_SSL_CERT_FILE: tls.clientCertFile,
      KAFKA_SSL_KEY_FILE: tls.clientKeyFile,
    });
    expect(withCertificate).toMatchObject({ code: 0 });
    expect(withCertificate.output).toContain('topics exist');

    const without = await run('apps/cli/src/main.js', ['topics', 'create'], mtls);
    expect(without.code).not.toBe(0);
  });
});
