import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from '@test/support/api-client';
import { AppProcess } from '@test/support/app-process';
import { DISPATCHER_CLIENT, GATEWAY_CLIENT, PROJECTOR_CLIENT } from './openapi-client-calls';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const APPS = [
  ['gateway', GATEWAY_CLIENT],
  ['projector', PROJECTOR_CLIENT],
  ['webhook-dispatcher', DISPATCHER_CLIENT],
] as const;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function operationsOf(document: any): Array<{ method: string; path: string; op: any }> {
  return Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op })),
  );
}

describe('OpenAPI documents of every app, and typed clients generated from them', () => {
  const apps = new Map<string, AppProcess>();
  const documents = new Map<string, any>();
  let dir: string;

  beforeAll(async () => {
    const started = await Promise.all(APPS.map(([name]) => AppProcess.start(name)));
    for (const app of started) {
      apps.set(app.name, app);
      const answer = await request(app.url, 'GET', '/docs/openapi.json');
      expect(answer.status).toBe(200);
      documents.set(app.name, answer.body);
    }
    dir = await mkdtemp(join(tmpdir(), 'openapi-clients-'));
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });

  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(APPS.map(([name]) => name))('%s serves Swagger UI at /docs', async (name) => {
    const page = await request(apps.get(name)!.url, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it.each(APPS)(
    '%s names every operation as a client would, and calls each one in its program',
    (name, program) => {
      const ids = operationsOf(documents.get(name)).map(({ op }) => op.operationId);
      expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id) && !id.includes('Controller'))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...program.operations].sort());
    },
  );

  it.each(APPS.map(([name]) => name))(
    '%s documents a success and the error codes of every route; GET and DELETE never list 413 or 415',
    (name) => {
      for (const { method, path, op } of operationsOf(documents.get(name))) {
        const statuses = Object.keys(op.responses);
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, success: statuses.some((s) => s.startsWith('2')) }).toEqual({ where, success: true });
        if (method === 'get' || method === 'delete') {
          expect({ where, statuses }).toEqual({
            where,
            statuses: expect.not.arrayContaining(['413', '415']),
          });
        }
        if (path.startsWith('/api/v1/')) {
          expect({ where, statuses }).toEqual({
            where,
            statuses: expect.arrayContaining(['400', '401', '503']),
          });
          for (const status of statuses.filter((s) => !s.startsWith('2'))) {
            expect(op.responses[status].description).toMatch(/`[A-Z_]+`/);
          }
        }
      }
    },
  );

  it('documents the health endpoints as they answer', async () => {
    const dispatcher = apps.get('webhook-dispatcher')!;
    const document = documents.get('webhook-dispatcher');
    const ready = await request(dispatcher.url, 'GET', '/health/ready');
    const schema = document.paths['/health/ready'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(ready.body)).toEqual(expect.arrayContaining(schema.required));
    const readiness = document.components.schemas.ReadinessResponse;
    expect(Object.keys(ready.body.data).sort()).toEqual(Object.keys(readiness.properties).sort());
    expect(document.paths['/health/ready'].get.responses['503']).toBeDefined();
    expect(Object.keys(document.paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain']);
  });

  it('generates a typed client from each document, and every operation type-checks through it', async () => {
    for (const [name, program] of APPS) {
      const documentFile = join(dir, `${name}.json`);
      await writeFile(documentFile, JSON.stringify(documents.get(name)));
      await run(process.execPath, [
        join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'),
        documentFile,
        // A default makes a field optional to send; by default openapi-typescript would make it required.
        '--default-non-nullable',
        'false',
        '--output',
        join(dir, `${name}.ts`),
      ]);
      await writeFile(join(dir, `${name}.client.ts`), program.source);
    }
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'esnext',
          moduleResolution: 'bundler',
          lib: ['es2022', 'dom'],
          skipLibCheck: true,
          types: [],
        },
        include: ['*.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const checked = await run(process.execPath, [tsc, '-p', dir]).then(
      () => '',
      (error: Error & { stdout?: string }) => error.stdout || error.message,
    );
    expect(checked).toBe('');
  });
});
