import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, sendError } from './all-exceptions.filter';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './domain-errors';
import { errorEnvelope } from './envelope';
import { nestsDeeperThan } from './json-depth';
import { inexactMarkersToNaN, markInexactNumbers } from './json-numbers';
import { MAX_REQUEST_DEPTH } from './validation.pipe';

/**
 * Fastify's `frameworkErrors`: what its router answers by itself before any route runs (a malformed
 * percent-escape in the URL, a path parameter over the router's limit), in the envelope like every other error.
 */
export function envelopeFrameworkError(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, error);
}

const CLIENT_ERROR_MESSAGES: Record<number, string> = {
  400: 'The request is not valid HTTP',
  408: 'The request was not received in time',
  431: 'The request headers are too large',
};

/**
 * Fastify's `clientErrorHandler`: errors Node's HTTP parser raises on the socket, where there is no request
 * (headers too large, malformed HTTP, the request or headers timeout). Answered in the envelope, then closed.
 */
export function envelopeClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message = CLIENT_ERROR_MESSAGES[status];
  const details = status === 400 ? [{ field: 'request', message }] : [];
  const envelope = JSON.stringify(errorEnvelope(codeForStatus(status), message, details));
  // Nothing may be written once a response has begun on this socket: it is only closed then.
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !response?.headersSent) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(envelope)}\r\nConnection: close\r\n\r\n${envelope}`,
    );
  }
  socket.destroy(error);
}

/**
 * A body sent compressed (or in any coding but identity) would be read as JSON text and fail as "malformed";
 * no app decodes request bodies, so it is refused up front with 415, before any parsing or authentication.
 */
export function refuseContentEncoding(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const coding = request.headers['content-encoding'];
    const hasBody =
      request.headers['transfer-encoding'] !== undefined ||
      (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
    const codings = String(coding ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== '');
    if (!hasBody || codings.every((token) => token === 'identity')) return done();
    const message = `Content-Encoding "${String(coding).slice(0, 100)}" is not supported: send the body uncompressed`;
    done(new UnsupportedMediaTypeError(message, [{ field: 'Content-Encoding', message }]));
  });
}

/** Past this many declared bytes, an oversized body is not drained: the connection is closed after the 413. */
const MAX_DISCARDED_BODY_BYTES = 8 * 1024 * 1024;

/**
 * A body whose declared `Content-Length` is over `bodyLimit` (up to 8 MiB) is answered `413` at once, before it
 * is read, and the connection stays open: Node reads the rest of the body and throws it away, then serves the
 * next request. Fastify's own answer closes the connection while the client may still be sending, and a client
 * writing into a closed socket gets a reset instead of the 413. Past 8 MiB Fastify's answer stands: draining
 * that much costs more than the client's clear error is worth.
 */
export function answerOversizedBodiesKeepingTheConnection(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const declared = Number(request.headers['content-length']);
    if (!(declared > bodyLimit && declared <= MAX_DISCARDED_BODY_BYTES)) return done();
    // As Fastify's own answer reads: the same code and message.
    done(new PayloadTooLargeError('The request body is larger than the 1 MiB limit'));
  });
}

/**
 * Fastify's JSON parser (same prototype-poisoning protection: a `__proto__` or `constructor.prototype` key is
 * malformed JSON) behind a depth scan: a body nesting deeper than MAX_REQUEST_DEPTH is refused while parsing,
 * before JSON.parse builds it and before anything (validation, authentication) walks it. A number a double
 * cannot hold as written parses to NaN (see markInexactNumbers), which the validators refuse by its field.
 */
export function installDepthLimitedJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeperThan(body as string, MAX_REQUEST_DEPTH)) {
      done(ValidationError.field('body', `nests deeper than ${MAX_REQUEST_DEPTH} levels`), undefined);
      return;
    }
    const text = markInexactNumbers(body as string);
    if (text === body) return void parseJson(request, text, done);
    void parseJson(request, text, (error: Error | null, value?: unknown) =>
      error ? done(error, undefined) : done(null, inexactMarkersToNaN(value)),
    );
  });
}

/**
 * The value the JSON parser above gives for `text` when that is exactly what `JSON.parse` gives: no nesting past
 * the limit, no number a double cannot hold as written, nothing that could be a poisoning key (escapes
 * included), no byte-order mark. Undefined otherwise (JSON never parses to undefined): the text is then left to
 * that parser, whose answer it gets. For a path that reads a body itself and must read it the same way.
 */
export function parsePlainJson(text: string): unknown {
  if (
    text.length === 0 ||
    text.charCodeAt(0) === 0xfeff ||
    text.includes('__proto__') ||
    text.includes('constructor') ||
    text.includes('\\u') ||
    nestsDeeperThan(text, MAX_REQUEST_DEPTH) ||
    markInexactNumbers(text) !== text
  )
    return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
