/** The cluster answered, and what it said cannot change by retrying: wrong credentials, untrusted TLS, no topics. */
export class KafkaSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaSetupError';
  }
}

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|UNABLE_TO_(GET|VERIFY)_)/;

interface WrappedError {
  name?: string;
  code?: string;
  message?: string;
  originalError?: unknown;
  cause?: unknown;
}

/** The errors (kafkajs wraps them in retry errors) that mean the settings are wrong, named by variable. */
export function setupProblemOf(error: unknown): string | undefined {
  let current = error as WrappedError | undefined;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current.name === 'KafkaJSSASLAuthenticationError')
      return `Kafka refused the SASL credentials: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (and KAFKA_SASL_MECHANISM) — ${current.message}`;
    if (typeof current.code === 'string' && TLS_CODES.test(current.code))
      return `TLS to Kafka failed (${current.code}): check KAFKA_SSL_CA_FILE (the CA that signed the brokers' certificates), KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE and KAFKA_BROKERS — ${current.message}`;
    current = (current.originalError ?? current.cause) as WrappedError | undefined;
  }
  return undefined;
}
