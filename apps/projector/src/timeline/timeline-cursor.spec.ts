import { createHash, randomBytes } from 'node:crypto';
import { newId } from '@app/contracts';
import { CursorSigner, ValidationError } from '@app/http';
import { decodeCursor, encodeCursor, type TimelineScope } from './timeline-cursor';

const scope: TimelineScope = {
  externalId: 'user_42',
  types: ['order.placed'],
  from: '2026-01-01T00:00:00.000Z',
};
const position = { occurredAt: '2026-04-18T10:00:00.123Z', id: newId('cev') };
const signer = new CursorSigner(randomBytes(32));

function flipOneCharacter(cursor: string, at: number): string {
  const replacement = cursor[at] === 'A' ? 'B' : 'A';
  return cursor.slice(0, at) + replacement + cursor.slice(at + 1);
}

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('timeline cursor', () => {
  it('gives back the position it was made from, for the same query', () => {
    expect(decodeCursor(signer, encodeCursor(signer, position, scope), scope)).toEqual(position);
  });

  it('is opaque: URL-safe characters only', () => {
    expect(encodeCursor(signer, position, scope)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses a cursor with any one character changed, as a validation error on the cursor field', () => {
    const cursor = encodeCursor(signer, position, scope);
    for (let at = 0; at < cursor.length; at++) {
      const tampered = flipOneCharacter(cursor, at);
      if (tampered === cursor) continue;
      const caught = refusal(() => decodeCursor(signer, tampered, scope));
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });

  it('refuses a cursor issued for another customer or other filters', () => {
    const cursor = encodeCursor(signer, position, scope);
    expect(() => decodeCursor(signer, cursor, { ...scope, externalId: 'user_43' })).toThrow(ValidationError);
    expect(() => decodeCursor(signer, cursor, { ...scope, types: undefined })).toThrow(ValidationError);
    expect(() => decodeCursor(signer, cursor, { ...scope, to: '2026-05-01T00:00:00.000Z' })).toThrow(
      ValidationError,
    );
  });

  it('binds the excluded types: a cursor continues only the exclusion it was issued for', () => {
    const excluding = { ...scope, excludeTypes: ['page.viewed'] };
    const cursor = encodeCursor(signer, position, excluding);
    expect(decodeCursor(signer, cursor, excluding)).toEqual(position);
    expect(() => decodeCursor(signer, cursor, scope)).toThrow(ValidationError);
    expect(() => decodeCursor(signer, cursor, { ...scope, excludeTypes: ['order.placed'] })).toThrow(
      ValidationError,
    );
    expect(() => decodeCursor(signer, encodeCursor(signer, position, scope), excluding)).toThrow(
      ValidationError,
    );
  });

  it('refuses a cursor signed under another secret (another deployment, or a guessed key)', () => {
    const cursor = encodeCursor(new CursorSigner(randomBytes(32)), position, scope);
    expect(() => decodeCursor(signer, cursor, scope)).toThrow(ValidationError);
  });

  it('refuses a cursor whose check anyone can recompute (the unkeyed SHA-256 cursors of before)', () => {
    const check = createHash('sha256')
      .update(
        JSON.stringify([
          1,
          position.occurredAt,
          position.id,
          scope.externalId,
          scope.types,
          scope.from,
          null,
        ]),
      )
      .digest('base64url')
      .slice(0, 16);
    const forged = Buffer.from(JSON.stringify([1, position.occurredAt, position.id, check])).toString(
      'base64url',
    );
    expect(() => decodeCursor(signer, forged, scope)).toThrow(ValidationError);
  });

  it.each([
    ['a time outside years 0001–9999', ['0000-01-01T00:00:00.000Z', position.id]],
    ['a time of year 10000', ['+010000-01-01T00:00:00.000Z', position.id]],
    ['a time with an offset', ['2026-04-18T12:00:00+02:00', position.id]],
    ['an impossible date', ['2026-02-30T00:00:00.000Z', position.id]],
    ['a number for the time', [1_776_506_400_000, position.id]],
    ['a malformed id', [position.occurredAt, 'cev_not-an-id']],
    ['an empty id', [position.occurredAt, '']],
    ['a missing id', [position.occurredAt]],
    ['an extra field', [position.occurredAt, position.id, 'x']],
  ])('refuses a correctly signed cursor holding %s', (_, fields) => {
    const cursor = signer.encode('timeline.v2', fields, [scope.externalId, scope.types, scope.from, null]);
    const caught = refusal(() => decodeCursor(signer, cursor, scope));
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['base64 of plain text', Buffer.from('hello').toString('base64url')],
    [
      'a hand-made position without its check',
      Buffer.from(JSON.stringify([position.occurredAt, position.id])).toString('base64url'),
    ],
    ['far too long', 'A'.repeat(401)],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(signer, cursor, scope)).toThrow(ValidationError);
  });
});
