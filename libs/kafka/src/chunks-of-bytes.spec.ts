import { chunksOfBytes } from './consumer-runner';

describe(chunksOfBytes.name, () => {
  const message = (bytes: number) => ({ key: null, value: Buffer.alloc(bytes) });

  it('keeps every chunk within the byte budget, in order', () => {
    const messages = Array.from({ length: 10 }, () => message(300));
    const chunks = chunksOfBytes(messages, 1000);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('sends a message larger than the budget alone rather than dropping it', () => {
    expect(chunksOfBytes([message(10), message(5000), message(10)], 1000).map((c) => c.length)).toEqual([
      1, 1, 1,
    ]);
  });

  it('gives no chunk for no message', () => {
    expect(chunksOfBytes([], 1000)).toEqual([]);
  });
});
