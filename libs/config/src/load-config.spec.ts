import { GatewayEnv } from './gateway.env';
import { ConfigError, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  it('gives the contract defaults when nothing is set', () => {
    const sut = loadConfig(GatewayEnv, {});
    expect(sut).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/supportdesk',
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: '',
      GATEWAY_PORT: 3000,
    });
  });

  it('converts numbers and treats empty strings as unset', () => {
    expect(loadConfig(GatewayEnv, { GATEWAY_PORT: '4000', KAFKA_TOPIC_PREFIX: '' })).toMatchObject({
      GATEWAY_PORT: 4000,
      KAFKA_TOPIC_PREFIX: '',
    });
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(GatewayEnv, { GATEWAY_PORT: 'eighty', KAFKA_BROKERS: 'nope', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const variable of ['GATEWAY_PORT', 'KAFKA_BROKERS', 'DATABASE_URL'])
      expect(message).toContain(variable);
  });

  it('ignores variables that are not part of the schema', () => {
    expect(loadConfig(GatewayEnv, { PATH: '/usr/bin' })).not.toHaveProperty('PATH');
  });
});
