import Fastify from 'fastify';
import { installSuccessEnvelope } from './success-envelope';

describe(installSuccessEnvelope.name, () => {
  const app = Fastify();
  installSuccessEnvelope(app);
  app.get('/object', () => ({ id: 'x' }));
  app.get('/raw', { config: { rawResponse: true } }, () => ({ status: 'ok' }));
  app.get('/text', (_request, reply) => reply.type('text/plain').send('plain'));
  app.get('/error', (_request, reply) =>
    reply.status(404).send({ success: false, error: { code: 'NOT_FOUND' } }),
  );
  app.get('/empty', (_request, reply) => reply.status(204).send());

  afterAll(() => app.close());

  it('wraps a JSON answer in the success envelope', async () => {
    const response = await app.inject('/object');
    expect(response.json()).toEqual({ success: true, data: { id: 'x' }, timestamp: expect.any(String) });
  });

  it('leaves raw routes, text, errors and empty answers as they are', async () => {
    expect((await app.inject('/raw')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/text')).body).toBe('plain');
    expect((await app.inject('/error')).json()).toEqual({ success: false, error: { code: 'NOT_FOUND' } });
    expect((await app.inject('/empty')).body).toBe('');
  });
});
