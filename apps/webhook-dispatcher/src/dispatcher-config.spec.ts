import { randomBytes } from 'node:crypto';
import { DispatcherEnv, loadConfig } from '@app/config';
import { webhookEncryptionKey } from './secrets';
import { configProblems } from '@test/support/config-problems';

describe('the dispatcher configuration', () => {
  const load = (env: Record<string, string>) => loadConfig(DispatcherEnv, env);
  const problems = (env: Record<string, string>) => configProblems(DispatcherEnv, env);

  it("defaults to Plain's retry schedule, a 15 s timeout and private targets refused", () => {
    expect(load({})).toMatchObject({
      WEBHOOK_RETRY_SCHEDULE: '10s,30s,5m,30m,1h,3h,6h,12h,1d,1d,1d,1d',
      WEBHOOK_TIMEOUT_MS: 15000,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: false,
    });
  });

  it('stops at boot on a malformed retry schedule, naming the variable and the bad item', () => {
    const [problem] = problems({ WEBHOOK_RETRY_SCHEDULE: '10s,soon' });
    expect(problem).toMatch(/^WEBHOOK_RETRY_SCHEDULE: .*"soon" is not a duration/);
  });

  it('refuses an encryption key that is not base64 of 32 bytes', () => {
    const [problem] = problems({ WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(16).toString('base64') });
    expect(problem).toMatch(/^WEBHOOK_SECRET_ENCRYPTION_KEY: .*32 random bytes/);
  });

  it('requires the encryption key in production', () => {
    expect(problems({ NODE_ENV: 'production' })[0]).toMatch(/^WEBHOOK_SECRET_ENCRYPTION_KEY/);
    const key = randomBytes(32).toString('base64');
    const config = load({
      NODE_ENV: 'production',
      WEBHOOK_SECRET_ENCRYPTION_KEY: key,
      CURSOR_SECRET: randomBytes(32).toString('base64'),
    });
    expect(webhookEncryptionKey(config)).toEqual({ key: Buffer.from(key, 'base64'), insecure: false });
  });

  it('requires the cursor secret in production, and refuses a short one anywhere', () => {
    const key = randomBytes(32).toString('base64');
    expect(problems({ NODE_ENV: 'production', WEBHOOK_SECRET_ENCRYPTION_KEY: key })).toEqual([
      expect.stringMatching(/^CURSOR_SECRET: /),
    ]);
    expect(problems({ CURSOR_SECRET: 'short' })).toEqual([expect.stringMatching(/^CURSOR_SECRET: .*32/)]);
  });

  it('outside production falls back to the public development key, and says it is insecure', () => {
    expect(webhookEncryptionKey(load({ NODE_ENV: 'development' }))).toMatchObject({ insecure: true });
  });
});
