import { sseFrame, sseRetry } from './sse-frames';

describe('SSE frames', () => {
  it('writes id, event and one data line, ended by a blank line', () => {
    expect(sseFrame({ id: 'abc', event: 'item', data: { text: 'two\nlines' } })).toBe(
      'id: abc\nevent: item\ndata: {"text":"two\\nlines"}\n\n',
    );
  });

  it('leaves the id out when there is none', () => {
    expect(sseFrame({ event: 'reset', data: null })).toBe('event: reset\ndata: null\n\n');
  });

  it('tells the client how long to wait before reconnecting', () => {
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
  });
});
