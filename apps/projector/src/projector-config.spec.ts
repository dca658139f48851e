import { randomBytes } from 'node:crypto';
import { cursorSecret, loadConfig, ProjectorEnv } from '@app/config';
import { configProblems } from '@test/support/config-problems';

describe('the projector configuration', () => {
  const load = (env: Record<string, string>) => loadConfig(ProjectorEnv, env);
  const problems = (env: Record<string, string>) => configProblems(ProjectorEnv, env);

  it('bounds timeline pages to 1 MiB, streams to 15 minutes and 20 per key by default', () => {
    expect(load({})).toMatchObject({
      TIMELINE_PAGE_MAX_BYTES: 1024 * 1024,
      LIVE_STREAM_MAX_LIFETIME_MS: 900_000,
      LIVE_STREAMS_PER_KEY: 20,
    });
  });

  it('requires the cursor secret in production, and uses it as the signing key', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^CURSOR_SECRET: /)]);
    const secret = randomBytes(32).toString('base64');
    expect(cursorSecret(load({ NODE_ENV: 'production', CURSOR_SECRET: secret }))).toEqual({
      key: Buffer.from(secret),
      insecure: false,
    });
  });

  it('outside production falls back to the public development key, and says it is insecure', () => {
    expect(cursorSecret(load({}))).toMatchObject({ insecure: true });
  });
});
