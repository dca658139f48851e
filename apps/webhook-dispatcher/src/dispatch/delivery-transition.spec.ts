import { nextDeliveryState } from './delivery-transition';

describe(nextDeliveryState.name, () => {
  const schedule = [1000, 2000];
  const scheduled = (n: number) => ({ manual: false, resumeAt: null, scheduledAttemptCount: n });
  const middle = () => 0.5;

  it('ends the delivery on a 2xx', () => {
    expect(nextDeliveryState(scheduled(1), { outcome: 'success' }, schedule)).toEqual({
      status: 'succeeded',
    });
  });

  it('when the receiver fails twice, waits the first then the second delay, and fails after the third', () => {
    expect(nextDeliveryState(scheduled(1), { outcome: 'http_error' }, schedule, middle)).toEqual({
      status: 'pending',
      delayMs: 1000,
    });
    expect(nextDeliveryState(scheduled(2), { outcome: 'timeout' }, schedule, middle)).toEqual({
      status: 'pending',
      delayMs: 2000,
    });
    expect(nextDeliveryState(scheduled(3), { outcome: 'network_error' }, schedule)).toEqual({
      status: 'failed',
    });
  });

  it('stops retrying at once on 410 Gone', () => {
    expect(nextDeliveryState(scheduled(1), { outcome: 'gone' }, schedule)).toEqual({ status: 'failed' });
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(
      nextDeliveryState(scheduled(1), { outcome: 'http_error', retryAfterMs: 60_000 }, schedule, middle),
    ).toEqual({
      status: 'pending',
      delayMs: 60_000,
    });
  });

  it('after a failed manual retry, goes back to waiting for the scheduled attempt it interrupted', () => {
    const resumeAt = new Date('2026-01-01T00:00:00Z');
    expect(
      nextDeliveryState(
        { manual: true, resumeAt, scheduledAttemptCount: 1 },
        { outcome: 'http_error' },
        schedule,
      ),
    ).toEqual({ status: 'pending', at: resumeAt });
  });

  it('after a failed manual retry of a finished delivery, leaves it failed without restarting the schedule', () => {
    expect(
      nextDeliveryState(
        { manual: true, resumeAt: null, scheduledAttemptCount: 3 },
        { outcome: 'http_error' },
        schedule,
      ),
    ).toEqual({ status: 'failed' });
  });
});
