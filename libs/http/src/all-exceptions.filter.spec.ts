import {
  type ArgumentsHost,
  ForbiddenException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AllExceptionsFilter, errorResponseOf } from './all-exceptions.filter';
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

  it('answers a 403 (a guard refusing) as FORBIDDEN 403, not as UNAUTHORIZED', () => {
    const { sent, host } = replyStub();
    sut.catch(new ForbiddenException(), host);
    expect(sent.status).toBe(403);
    expect(sent.body.error.code).toBe('FORBIDDEN');
  });
});

describe(errorResponseOf.name, () => {
  const fastifyError = (code: string, statusCode: number, message = 'internal wording') =>
    Object.assign(new Error(message), { code, statusCode });

  it.each([
    ['FST_ERR_BAD_URL', 400, 'VALIDATION_ERROR', 'url'],
    ['FST_ERR_MAX_PARAM_LENGTH', 414, 'URI_TOO_LONG', undefined],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE', undefined],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE', undefined],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'VALIDATION_ERROR', 'Content-Length'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'VALIDATION_ERROR', 'body'],
    ['FST_ERR_SOMETHING_NEW', 406, 'VALIDATION_ERROR', 'body'],
  ])("maps Fastify's %s (%i) to %s in the envelope", (code, status, errorCode, field) => {
    const response = errorResponseOf(fastifyError(code, status));
    expect(response.body.error.code).toBe(errorCode);
    expect(response.status).toBeLessThan(500);
    if (field) expect(response.body.error.details[0].field).toBe(field);
  });

  it('keeps the malformed-JSON message for a JSON syntax error', () => {
    const syntax = Object.assign(new SyntaxError('Unexpected token'), { statusCode: 400 });
    expect(errorResponseOf(syntax).body.error.message).toBe('The request body is not valid JSON');
  });
});
