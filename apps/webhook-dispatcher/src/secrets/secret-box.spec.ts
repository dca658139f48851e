import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';
import { generateSigningSecret } from './signing-secret';

describe(SecretBox.name, () => {
  const sut = new SecretBox(randomBytes(32));
  const targetId = 'whTarget_01HD4400VTDJQ646V6RY37SR7K';

  it('opens what it sealed for the same target', () => {
    const secret = generateSigningSecret();
    expect(sut.open(sut.seal(secret, targetId), targetId)).toBe(secret);
  });

  it('stores no readable trace of the secret', () => {
    const secret = generateSigningSecret();
    const sealed = sut.seal(secret, targetId);
    expect(sealed.toString('latin1')).not.toContain(secret.slice(6, 20));
    expect(sealed.toString('base64')).not.toContain(secret.slice(6, 20));
  });

  it('refuses to open with another key, for another target, or after a bit flip', () => {
    const sealed = sut.seal(generateSigningSecret(), targetId);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, targetId)).toThrow();
    expect(() => sut.open(sealed, 'whTarget_01HD4400VTDJQ646V6RY37SR7M')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] ^= 1;
    expect(() => sut.open(flipped, targetId)).toThrow();
  });
});

describe(generateSigningSecret.name, () => {
  it('makes whsec_ secrets of 32 random bytes, different every time', () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });
});
