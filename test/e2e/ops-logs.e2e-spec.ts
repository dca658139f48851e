import { join } from 'node:path';
import { AppProcess, DIST_DIR } from '@test/support/app-process';
import { request } from '@test/support/api-client';
import { runCommand } from '@test/support/cli-process';
import { createApiKey, uniqueExternalId } from '@test/support/fixtures';
import { eventually } from '@test/support/eventually';
import { ROOT } from '@test/support/infra-state';

function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('log line format options', () => {
  let app: AppProcess | undefined;

  afterEach(() => app?.stop());

  it('LOG_LEVEL_FORMAT=label and LOG_TIME_FORMAT=iso write "level":"info" and an ISO 8601 time', async () => {
    app = await AppProcess.start('gateway', {
      LOG_LEVEL: 'info',
      LOG_LEVEL_FORMAT: 'label',
      LOG_TIME_FORMAT: 'iso',
    });
    const lines = jsonLines(app.logs);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({
        service: 'gateway',
        level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    }
  });

  it("keeps pino's numeric level and epoch time by default", async () => {
    app = await AppProcess.start('gateway', { LOG_LEVEL: 'info' });
    const lines = jsonLines(app.logs);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatchObject({ level: expect.any(Number), time: expect.any(Number) });
  });

  it('refuses an unknown format at boot, naming the variable', async () => {
    const gateway = join(ROOT, DIST_DIR, 'apps/gateway/src/main.js');
    const result = await runCommand(process.execPath, [gateway], { LOG_TIME_FORMAT: 'rfc2822' });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('LOG_TIME_FORMAT');
  });
});

describe('request lines (LOG_HTTP_REQUESTS)', () => {
  let app: AppProcess | undefined;

  afterEach(() => app?.stop());

  const putCustomer = async (gateway: AppProcess) => {
    const { apiKey } = await createApiKey();
    const externalId = uniqueExternalId();
    const path = `/api/v1/customers/${externalId}`;
    const response = await request(gateway.url, 'PUT', path, {
      apiKey,
      body: { email: `${externalId}@example.com`, fullName: 'Peter Santos' },
    });
    expect(response.status).toBe(201);
    return path;
  };

  it('writes one line per request, with the request and its traceId, when asked', async () => {
    app = await AppProcess.start('gateway', { LOG_LEVEL: 'info', LOG_HTTP_REQUESTS: 'true' });
    const path = await putCustomer(app);

    const line = await eventually(() => {
      const found = jsonLines(app!.logs).filter((l) => l.msg === 'request completed');
      const mine = found.find((l) => (l.req as { url?: string } | undefined)?.url === path);
      expect(mine).toBeDefined();
      return mine!;
    });
    expect(line).toMatchObject({
      req: { id: expect.anything(), method: 'PUT', url: path },
      res: { statusCode: 201 },
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('writes none by default', async () => {
    app = await AppProcess.start('gateway', { LOG_LEVEL: 'info' });
    await putCustomer(app);
    await putCustomer(app);

    const lines = jsonLines(app.logs);
    expect(lines.filter((l) => l.msg === 'request completed' || 'req' in l)).toEqual([]);
  });
});
