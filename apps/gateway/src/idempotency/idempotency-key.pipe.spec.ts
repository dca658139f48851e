import { ValidationError } from '@app/http';
import { IdempotencyKeyPipe } from './idempotency-key.pipe';

describe(IdempotencyKeyPipe.name, () => {
  const sut = new IdempotencyKeyPipe();

  it('passes an absent header and a key of 1 to 255 characters', () => {
    expect(sut.transform(undefined)).toBeUndefined();
    expect(sut.transform('k')).toBe('k');
    expect(sut.transform('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it.each([
    ['an empty key', ''],
    ['a key over 255 characters', 'k'.repeat(256)],
    ['a repeated header', ['a', 'b']],
  ])('refuses %s as a VALIDATION_ERROR naming the header', (_, value) => {
    const attempt = () => sut.transform(value);

    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'Idempotency-Key' })] }),
    );
  });
});
