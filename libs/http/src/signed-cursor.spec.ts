import { randomBytes } from 'node:crypto';
import { ValidationError } from './domain-errors';
import { CursorSigner } from './signed-cursor';

describe(CursorSigner.name, () => {
  const sut = new CursorSigner(randomBytes(32));

  it('gives back the fields it signed, for the same kind and bound value', () => {
    const cursor = sut.encode('things', ['a', 1], { filter: 'x' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sut.decode('things', cursor, { filter: 'x' })).toEqual(['a', 1]);
  });

  it('refuses it for another kind, another bound value, or under another key, naming the field', () => {
    const cursor = sut.encode('things', ['a'], 'x');
    for (const decode of [
      () => sut.decode('others', cursor, 'x'),
      () => sut.decode('things', cursor, 'y'),
      () => new CursorSigner(randomBytes(32)).decode('things', cursor, 'x'),
    ]) {
      expect(decode).toThrow(ValidationError);
    }
    try {
      sut.decode('things', `${cursor}A`, 'x', 'page');
    } catch (error) {
      expect((error as ValidationError).details).toEqual([{ field: 'page', message: expect.any(String) }]);
    }
    expect.assertions(4);
  });

  it('refuses fields that are not its own: a MAC cut off, zeroed, or taken from other fields', () => {
    const [id, mac] = JSON.parse(
      Buffer.from(sut.encode('things', ['a']), 'base64url').toString(),
    ) as string[];
    const forge = (tuple: unknown[]) => Buffer.from(JSON.stringify(tuple)).toString('base64url');
    expect(id).toBe('a');
    for (const forged of [forge(['a']), forge(['a', 'A'.repeat(43)]), forge(['b', mac]), forge([mac])]) {
      expect(() => sut.decode('things', forged)).toThrow(ValidationError);
    }
  });
});
