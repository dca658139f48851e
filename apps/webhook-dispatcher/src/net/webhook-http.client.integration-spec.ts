import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookHttpClient } from './webhook-http.client';

describe(WebhookHttpClient.name, () => {
  let server: Server;
  let port: number;
  let hits: string[];
  const clients: WebhookHttpClient[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/slow') return; // never answers
      if (req.url === '/redirect') {
        res.writeHead(301, { location: '/ok' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.url === '/big' ? 'x'.repeat(200_000) : 'fine');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    hits = [];
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.onApplicationShutdown()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function client(allowPrivateTargets: boolean, timeoutMs = 2000): WebhookHttpClient {
    const sut = new WebhookHttpClient({ timeoutMs, allowPrivateTargets, connectionsPerOrigin: 4 });
    clients.push(sut);
    return sut;
  }

  it('refuses, without connecting, a name that resolves to loopback when private targets are disallowed', async () => {
    const result = await client(false).post(`http://localhost:${port}/ok`, {}, '{}');
    expect(result).toMatchObject({ kind: 'error', refused: true });
    expect(result.kind === 'error' && result.error).toMatch(/private, loopback or link-local/);
    expect(hits).toEqual([]);
  });

  it('refuses an IP literal in a private range at delivery time too', async () => {
    const result = await client(false).post(`http://127.0.0.1:${port}/ok`, {}, '{}');
    expect(result).toMatchObject({ kind: 'error', refused: true });
    expect(hits).toEqual([]);
  });

  it('delivers to the same receiver when private targets are allowed', async () => {
    const result = await client(true).post(`http://localhost:${port}/ok`, {}, '{}');
    expect(result).toMatchObject({ kind: 'response', statusCode: 200, body: 'fine' });
  });

  it('does not follow a redirect', async () => {
    const result = await client(true).post(`http://127.0.0.1:${port}/redirect`, {}, '{}');
    expect(result).toMatchObject({ kind: 'response', statusCode: 301, headers: { location: '/ok' } });
    expect(hits).toEqual(['/redirect']);
  });

  it('keeps only the first 1 KiB of a large response', async () => {
    const result = await client(true).post(`http://127.0.0.1:${port}/big`, {}, '{}');
    expect(result.kind === 'response' && result.body).toBe('x'.repeat(1024));
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const result = await client(true, 300).post(`http://127.0.0.1:${port}/slow`, {}, '{}');
    expect(result).toMatchObject({ kind: 'error', timedOut: true, refused: false });
  });

  it('reports a refused connection as a network error', async () => {
    const result = await client(true).post('http://127.0.0.1:1/none', {}, '{}');
    expect(result).toMatchObject({ kind: 'error', timedOut: false, refused: false });
    expect(result.kind === 'error' && result.error).toMatch(/ECONNREFUSED/);
  });
});
