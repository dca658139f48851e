import { type ArgumentsHost, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { CustomerNotFoundError } from './domain-errors';

function replyStub() {
  const sent: { status?: number; body?: any; headers: Record<string, string> } = { headers: {} };
  const reply = {
    header: (name: string, value: string) => ((sent.headers[name] = value), reply),
    status: (status: number) => ((sent.status = status), reply),
    send: (body: unknown) => ((sent.body = body), reply),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { sent, host };
}

describe(AllExceptionsFilter.name, () => {
  const sut = new AllExceptionsFilter();

  it('answers a domain error with its code, status and details in the envelope', () => {
    const { sent, host } = replyStub();
    sut.catch(new CustomerNotFoundError('user_42'), host);
    expect(sent.status).toBe(404);
    expect(sent.body).toMatchObject({
      success: false,
      error: { code: 'CUSTOMER_NOT_FOUND', details: [{ field: 'customerExternalId' }] },
    });
  });

  it('reports a failed readiness check (framework 503) as SERVICE_UNAVAILABLE, not as a bug', () => {
    const { sent, host } = replyStub();
    sut.catch(new ServiceUnavailableException({ status: 'error' }), host);
    expect(sent.status).toBe(503);
    expect(sent.body.error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('maps an unknown route to NOT_FOUND', () => {
    const { sent, host } = replyStub();
    sut.catch(new NotFoundException('Cannot GET /nope'), host);
    expect(sent.status).toBe(404);
    expect(sent.body.error.code).toBe('NOT_FOUND');
  });

  it('hides the cause of a bug behind an error id', () => {
    const { sent, host } = replyStub();
    sut.catch(new Error('secret internals at line 42'), host);
    expect(sent.status).toBe(500);
    expect(sent.body.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(sent.body)).not.toContain('secret internals');
    expect(sent.body.error.message).toMatch(/reference err_[0-9A-HJKMNP-TV-Z]{26}/);
  });
});
