import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaClusterEnv } from '@app/config';

export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** A secret mounted as a file (Kubernetes, Docker secrets) ends with a newline the broker must not see. */
function secret(value: string, file: string): string {
  return file ? readFileSync(file, 'utf8').replace(/\r?\n$/, '') : value;
}

/** kafkajs's `ssl` and `sasl` options from the validated settings (files are read here, once, at boot). */
export function kafkaSecurityOf(env: KafkaClusterEnv): KafkaSecurity {
  const security: KafkaSecurity = {};
  if (env.KAFKA_SSL) {
    const tls: NonNullable<Exclude<KafkaConfig['ssl'], boolean>> = {
      rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED,
    };
    if (env.KAFKA_SSL_CA_FILE) tls.ca = [readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')];
    if (env.KAFKA_SSL_CERT_FILE) {
      tls.cert = readFileSync(env.KAFKA_SSL_CERT_FILE, 'utf8');
      tls.key = readFileSync(env.KAFKA_SSL_KEY_FILE, 'utf8');
    }
    security.ssl = tls;
  }
  if (env.KAFKA_SASL_MECHANISM) {
    const username = secret(env.KAFKA_SASL_USERNAME, env.KAFKA_SASL_USERNAME_FILE);
    const password = secret(env.KAFKA_SASL_PASSWORD, env.KAFKA_SASL_PASSWORD_FILE);
    security.sasl = { mechanism: env.KAFKA_SASL_MECHANISM, username, password } as SASLOptions;
  }
  return security;
}
