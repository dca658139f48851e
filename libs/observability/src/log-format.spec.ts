import { Writable } from 'node:stream';
import pino from 'pino';
import { logFormatOptions } from './log-format';

function firstLine(options: Parameters<typeof logFormatOptions>[0]): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  pino(logFormatOptions(options), sink).warn('hello');
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe(logFormatOptions.name, () => {
  it("keeps pino's numeric level and epoch time by default", () => {
    const line = firstLine({});
    expect(line.level).toBe(40);
    expect(typeof line.time).toBe('number');
  });

  it('writes the level as its label and the time as ISO 8601 when asked', () => {
    const line = firstLine({ levelFormat: 'label', timeFormat: 'iso' });
    expect(line.level).toBe('warn');
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line.msg).toBe('hello');
  });
});
