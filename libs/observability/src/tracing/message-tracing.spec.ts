import type { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { logTracedMessage, tracedMessageLog, traceparentOf, withTraceHeader } from './message-tracing';
import type { TraceContext } from './traceparent';

const context: TraceContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  sampled: true,
};
const header = `00-${context.traceId}-${context.spanId}-01`;

function recordingLogger() {
  const lines: Array<{ level: string; entry: unknown; text: unknown }> = [];
  const logger = {
    log: (entry: unknown, text: unknown) => lines.push({ level: 'info', entry, text }),
    debug: (entry: unknown, text: unknown) => lines.push({ level: 'debug', entry, text }),
  } as unknown as Logger;
  return { logger, lines };
}

describe('message tracing', () => {
  it("adds the hop's traceparent to a message published inside a trace", () => {
    expect(withTraceHeader({ value: 'v', headers: { 'event-id': 'x' } }, context)).toEqual({
      value: 'v',
      headers: { 'event-id': 'x', traceparent: header },
    });
  });

  it('leaves a message alone outside a trace, or when it carries a traceparent already', () => {
    const message = { value: 'v' };
    expect(withTraceHeader(message, undefined)).toBe(message);
    const carried = { value: 'v', headers: { traceparent: 'kept' } };
    expect(withTraceHeader(carried, context)).toBe(carried);
  });

  it('reads the header whether kafkajs gives a Buffer, a string or a list', () => {
    expect(traceparentOf({ traceparent: Buffer.from(header) })).toBe(header);
    expect(traceparentOf({ traceparent: [header, 'other'] })).toBe(header);
    expect(traceparentOf({})).toBeUndefined();
    expect(traceparentOf(undefined)).toBeUndefined();
  });

  it('logs a sampled message at info with its traceId, an unsampled one at debug, an untraced one not at all', () => {
    const { logger, lines } = recordingLogger();
    logTracedMessage(logger, 'processed', { traceparent: Buffer.from(header) }, { offset: '7' });
    logTracedMessage(logger, 'processed', { traceparent: header.replace(/01$/, '00') }, {});
    logTracedMessage(logger, 'processed', {}, {});
    expect(lines).toEqual([
      {
        level: 'info',
        entry: { traceId: context.traceId, spanId: context.spanId, offset: '7' },
        text: 'processed',
      },
      { level: 'debug', entry: expect.objectContaining({ traceId: context.traceId }), text: 'processed' },
    ]);
  });

  it('takes the traceparent already formatted, for the many messages of one request', () => {
    expect(withTraceHeader({ value: 'v' }, header)).toEqual({ value: 'v', headers: { traceparent: header } });
  });

  it("logs a batch's messages each with its own trace, consecutive ones of a trace sharing one parse", () => {
    const { logger, lines } = recordingLogger();
    const other = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    const log = tracedMessageLog(logger, 'published');
    log({ traceparent: header }, { key: '1' });
    log({ traceparent: header }, { key: '2' });
    log({ traceparent: other }, { key: '3' });
    log({ traceparent: 'not-a-traceparent' }, { key: '4' });
    log({ traceparent: header.replace(/01$/, '00') }, { key: '5' });
    log(undefined, { key: '6' });
    expect(lines).toEqual([
      {
        level: 'info',
        entry: { traceId: context.traceId, spanId: context.spanId, key: '1' },
        text: 'published',
      },
      {
        level: 'info',
        entry: { traceId: context.traceId, spanId: context.spanId, key: '2' },
        text: 'published',
      },
      {
        level: 'info',
        entry: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), key: '3' },
        text: 'published',
      },
      {
        level: 'debug',
        entry: { traceId: context.traceId, spanId: context.spanId, key: '5' },
        text: 'published',
      },
    ]);
  });

  describe('with the root logger at a level', () => {
    const setRoot = (root: unknown) =>
      Object.defineProperty(PinoLogger, 'root', { value: root, configurable: true });
    afterEach(() => setRoot(undefined));

    it('builds no line that the level drops (an unsampled trace at info), and still writes the sampled ones', () => {
      setRoot(pino({ level: 'info' }, { write: () => undefined }));
      const { logger, lines } = recordingLogger();
      const built: string[] = [];
      const log = tracedMessageLog(logger, 'published');
      log({ traceparent: header }, () => (built.push('sampled'), { key: '1' }));
      log({ traceparent: header.replace(/01$/, '00') }, () => (built.push('unsampled'), { key: '2' }));
      logTracedMessage(logger, 'processed', { traceparent: header.replace(/01$/, '00') }, { offset: '7' });
      expect(built).toEqual(['sampled']);
      expect(lines).toEqual([
        {
          level: 'info',
          entry: { traceId: context.traceId, spanId: context.spanId, key: '1' },
          text: 'published',
        },
      ]);
    });

    it('writes the unsampled ones at debug level', () => {
      setRoot(pino({ level: 'debug' }, { write: () => undefined }));
      const { logger, lines } = recordingLogger();
      tracedMessageLog(logger, 'published')({ traceparent: header.replace(/01$/, '00') }, () => ({
        key: '2',
      }));
      expect(lines).toEqual([
        {
          level: 'debug',
          entry: { traceId: context.traceId, spanId: context.spanId, key: '2' },
          text: 'published',
        },
      ]);
    });
  });
});
