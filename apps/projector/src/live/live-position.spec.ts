import { newId } from '@app/contracts';
import { ValidationError } from '@app/http';
import { decodeLivePosition, encodeLivePosition, laterOf } from './live-position';

describe('live stream position (the SSE event id)', () => {
  const position = { createdAt: '2026-04-18T10:00:00.123Z', id: newId('cev') };

  it('gives back the position it was made from, as URL-safe characters', () => {
    const sut = encodeLivePosition(position);
    expect(sut).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeLivePosition(sut)).toEqual(position);
  });

  it("round-trips a fresh stream's position, which has no item id yet", () => {
    const fresh = { createdAt: position.createdAt, id: '' };
    expect(decodeLivePosition(encodeLivePosition(fresh))).toEqual(fresh);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['plain text', Buffer.from('hello').toString('base64url')],
    ['a bad time', Buffer.from(JSON.stringify(['yesterday', position.id])).toString('base64url')],
    [
      'a time not in UTC ISO form',
      Buffer.from(JSON.stringify(['2026-04-18T12:00:00+02:00', ''])).toString('base64url'),
    ],
    [
      'a time of year 10000',
      Buffer.from(JSON.stringify(['+010000-01-01T00:00:00.000Z', ''])).toString('base64url'),
    ],
    [
      'a time of year 0000',
      Buffer.from(JSON.stringify(['0000-01-01T00:00:00.000Z', ''])).toString('base64url'),
    ],
    ['a bad id', Buffer.from(JSON.stringify([position.createdAt, 'x'])).toString('base64url')],
  ])('refuses %s as a validation error on Last-Event-ID', (_, value) => {
    expect(() => decodeLivePosition(value)).toThrow(ValidationError);
  });

  it('orders positions by createdAt, then id', () => {
    const earlier = { createdAt: '2026-04-18T09:00:00.000Z', id: newId('cev') };
    expect(laterOf(earlier, position)).toBe(position);
    expect(laterOf(position, { ...position, id: '' })).toBe(position);
  });
});
