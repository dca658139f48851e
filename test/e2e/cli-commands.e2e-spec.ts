import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCommand } from '@test/support/cli-process';
import { createApiKey } from '@test/support/fixtures';
import { ROOT } from '@test/support/infra-state';

describe('cli commands tell the truth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));

  it('prints the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('"npm run migrate" runs the migrations of DATABASE_URL', async () => {
    const result = await runCommand('npm', ['run', '--silent', 'migrate']);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: 'database schema is up to date\n' });
  });

  describe('api-keys', () => {
    it('revoke of an unknown key id fails with a message and exit code 1', async () => {
      const result = await runCli(['api-keys', 'revoke', 'mu_nosuchkey']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no API key with id mu_nosuchkey');
    });

    it('revoke of a known key succeeds', async () => {
      const { apiKeyId } = await createApiKey();
      const result = await runCli(['api-keys', 'revoke', apiKeyId]);
      expect(result).toMatchObject({ code: 0, stdout: `revoked ${apiKeyId}\n` });
    });

    it('list --workspace <name> prints a header and only that workspace, by name', async () => {
      const name = `ws-list-${randomBytes(4).toString('hex')}`;
      const mine = await createApiKey(name);
      const other = await createApiKey();
      const result = await runCli(['api-keys', 'list', '--workspace', name]);
      expect(result.code).toBe(0);
      const [header, ...rows] = result.stdout.trim().split('\n');
      expect(header.split(/\s{2,}/)).toEqual([
        'KEY ID',
        'WORKSPACE',
        'WORKSPACE ID',
        'NAME',
        'CREATED',
        'STATUS',
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0].split(/\s{2,}/).slice(0, 4)).toEqual([mine.apiKeyId, name, mine.workspaceId, 'default']);
      expect(result.stdout).not.toContain(other.apiKeyId);

      const json = await runCli(['api-keys', 'list', '--workspace', name, '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({
        items: [{ apiKeyId: mine.apiKeyId, workspaceName: name, revokedAt: null }],
      });
    });

    it('list --workspace <unknown name> fails with a message and exit code 1', async () => {
      const result = await runCli(['api-keys', 'list', '--workspace', 'no-such-workspace-anywhere']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no workspace named "no-such-workspace-anywhere"');
    });
  });

  describe('import refuses bad options before sending anything', () => {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, '{"customerExternalId":"a","type":"order.placed"}\n');
    const env = { SUPPORTDESK_API_KEY: 'sk_unused', SUPPORTDESK_GATEWAY_URL: 'http://127.0.0.1:9' };

    it.each([
      [['--batch-size', '0'], "option '--batch-size <n>' argument '0' is invalid"],
      [['--batch-size', '1001'], "option '--batch-size <n>' argument '1001' is invalid"],
      [['--batch-size', 'lots'], "option '--batch-size <n>' argument 'lots' is invalid"],
      [['--concurrency', '0'], "option '--concurrency <n>' argument '0' is invalid"],
      [['--concurrency', '2.5'], "option '--concurrency <n>' argument '2.5' is invalid"],
    ])('%j', async (options, message) => {
      const result = await runCli(['import', '--file', file, ...options], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
    });

    it('a file that does not exist', async () => {
      const result = await runCli(['import', '--file', join(dir, 'missing.ndjson')], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('missing.ndjson does not exist');
    });

    it('a directory', async () => {
      const result = await runCli(['import', '--file', dir], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('is not a regular file');
    });

    it.each(['events.ndjson.rejects.ndjson', 'events.ndjson.checkpoint.json'])(
      'a file the import itself writes (%s)',
      async (name) => {
        writeFileSync(join(dir, name), '{}\n');
        const result = await runCli(['import', '--file', join(dir, name)], env);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('a file the import itself writes');
      },
    );

    it('no API key at all', async () => {
      const result = await runCli(['import', '--file', file], { SUPPORTDESK_API_KEY: undefined });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('An API key is required');
    });
  });
});
