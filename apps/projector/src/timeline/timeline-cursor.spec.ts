import { newId } from '@app/contracts';
import { ValidationError } from '@app/http';
import { decodeCursor, encodeCursor, type TimelineScope } from './timeline-cursor';

const scope: TimelineScope = {
  externalId: 'user_42',
  types: ['order.placed'],
  from: '2026-01-01T00:00:00.000Z',
};
const position = { occurredAt: '2026-04-18T10:00:00.123Z', id: newId('cev') };

function flipOneCharacter(cursor: string, at: number): string {
  const replacement = cursor[at] === 'A' ? 'B' : 'A';
  return cursor.slice(0, at) + replacement + cursor.slice(at + 1);
}

describe('timeline cursor', () => {
  it('gives back the position it was made from, for the same query', () => {
    expect(decodeCursor(encodeCursor(position, scope), scope)).toEqual(position);
  });

  it('is opaque: URL-safe characters only', () => {
    expect(encodeCursor(position, scope)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses a cursor with any one character changed, as a validation error on the cursor field', () => {
    const cursor = encodeCursor(position, scope);
    for (let at = 0; at < cursor.length; at++) {
      const tampered = flipOneCharacter(cursor, at);
      if (tampered === cursor) continue;
      let caught: unknown;
      try {
        decodeCursor(tampered, scope);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });

  it('refuses a cursor issued for another customer or other filters', () => {
    const cursor = encodeCursor(position, scope);
    expect(() => decodeCursor(cursor, { ...scope, externalId: 'user_43' })).toThrow(ValidationError);
    expect(() => decodeCursor(cursor, { ...scope, types: undefined })).toThrow(ValidationError);
    expect(() => decodeCursor(cursor, { ...scope, to: '2026-05-01T00:00:00.000Z' })).toThrow(ValidationError);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['base64 of plain text', Buffer.from('hello').toString('base64url')],
    [
      'a hand-made position without its check',
      Buffer.from(JSON.stringify([1, position.occurredAt, position.id])).toString('base64url'),
    ],
    [
      'a forged check',
      Buffer.from(JSON.stringify([1, position.occurredAt, position.id, 'x'.repeat(16)])).toString(
        'base64url',
      ),
    ],
    [
      'an unknown version',
      Buffer.from(JSON.stringify([2, position.occurredAt, position.id, 'x'])).toString('base64url'),
    ],
    ['far too long', 'A'.repeat(401)],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, scope)).toThrow(ValidationError);
  });
});
