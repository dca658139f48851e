import type { AttemptOutcome } from './attempt-result';
import type { ClaimedAttempt } from './delivery-claims.repository';
import { healthSteps } from './attempt-results.repository';

const ended = (targetId: string, outcome: AttemptOutcome) => ({
  claim: { targetId, workspaceId: 'w_1' } as ClaimedAttempt,
  attempt: { outcome, statusCode: null, error: null, responseBody: null, durationMs: 1 },
});

describe('healthSteps (the target-health updates of one batch of recorded attempts)', () => {
  it('collapses a run of the same kind of outcome into one update per target', () => {
    const batch = Array.from({ length: 100 }, () => ended('t_a', 'success'));
    expect(healthSteps(batch)).toEqual([{ targetId: 't_a', workspaceId: 'w_1', health: 'success' }]);
  });

  it("keeps the order in which a target's outcomes changed, every failure kind counting as a failure", () => {
    const batch = [
      ended('t_a', 'success'),
      ended('t_a', 'timeout'),
      ended('t_a', 'http_error'),
      ended('t_a', 'success'),
      ended('t_a', 'gone'),
    ];
    expect(healthSteps(batch).map((s) => s.health)).toEqual(['success', 'failure', 'success', 'gone']);
  });

  it('visits targets in id order, whatever order their attempts ended in', () => {
    const batch = [
      ended('t_c', 'success'),
      ended('t_a', 'refused'),
      ended('t_b', 'success'),
      ended('t_a', 'success'),
    ];
    expect(healthSteps(batch).map((s) => `${s.targetId}:${s.health}`)).toEqual([
      't_a:failure',
      't_a:success',
      't_b:success',
      't_c:success',
    ]);
  });
});
