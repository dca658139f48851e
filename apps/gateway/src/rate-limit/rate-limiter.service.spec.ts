import { GatewayEnv, loadConfig } from '@app/config';
import { RateLimiter } from './rate-limiter.service';

const limiter = (env: Record<string, string>) => new RateLimiter(loadConfig(GatewayEnv, env));

describe(RateLimiter.name, () => {
  it('is off by default', () => {
    const sut = limiter({});

    expect(sut.enabled).toBe(false);
    expect(sut.take('mu_a')).toBeUndefined();
  });

  it('uses RATE_LIMIT_PER_SECOND as the burst when RATE_LIMIT_BURST is not set', () => {
    const sut = limiter({ RATE_LIMIT_PER_SECOND: '5' });

    expect(sut.take('mu_a', 0)).toMatchObject({ limit: 5, remaining: 4 });
  });

  it('keeps one bucket per API key', () => {
    const sut = limiter({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '1' });

    expect(sut.take('mu_a', 0)?.allowed).toBe(true);
    expect(sut.take('mu_a', 0)?.allowed).toBe(false);
    expect(sut.take('mu_b', 0)?.allowed).toBe(true);
  });
});
