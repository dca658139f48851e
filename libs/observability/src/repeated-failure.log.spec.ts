import { RepeatedFailureLog } from './repeated-failure.log';

describe(RepeatedFailureLog.name, () => {
  let lines: Array<{ fields: Record<string, unknown>; message: string }>;
  let sut: RepeatedFailureLog;
  const brokerDown = () => new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');

  beforeEach(() => {
    jest.useFakeTimers();
    lines = [];
    sut = new RepeatedFailureLog(
      { warn: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }) },
      60_000,
    );
  });

  afterEach(() => jest.useRealTimers());

  it('logs the first failure in full and the identical ones of the next minute as one line with their count', () => {
    const first = brokerDown();
    for (let i = 0; i < 1765; i++)
      sut.warn({ err: i === 0 ? first : brokerDown(), messages: 3 }, 'Kafka publish failed');
    expect(lines).toEqual([{ fields: { err: first, messages: 3 }, message: 'Kafka publish failed' }]);

    jest.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({
      fields: {
        repeated: 1764,
        windowMs: 60_000,
        error: 'Error: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
      },
      message: 'Kafka publish failed (repeated)',
    });
  });

  it('logs a different error, or a different message, on its own', () => {
    sut.warn({ err: brokerDown() }, 'Kafka publish failed');
    sut.warn({ err: new Error('Request timed out') }, 'Kafka publish failed');
    sut.warn({ err: brokerDown() }, 'Could not release idempotency keys');
    expect(lines.map((l) => l.message)).toEqual([
      'Kafka publish failed',
      'Kafka publish failed',
      'Could not release idempotency keys',
    ]);
  });

  it('writes no summary line for a failure that happened once, and logs it in full again after the window', () => {
    sut.warn({ err: brokerDown() }, 'Kafka publish failed');
    jest.advanceTimersByTime(60_000);
    sut.warn({ err: brokerDown() }, 'Kafka publish failed');
    expect(lines.map((l) => l.message)).toEqual(['Kafka publish failed', 'Kafka publish failed']);
  });

  it('reports the counts of open windows on flush', () => {
    sut.warn({ err: brokerDown() }, 'Kafka publish failed');
    sut.warn({ err: brokerDown() }, 'Kafka publish failed');
    sut.flush();
    expect(lines[1]).toMatchObject({ fields: { repeated: 1 }, message: 'Kafka publish failed (repeated)' });
    jest.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
  });
});
