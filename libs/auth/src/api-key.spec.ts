import { newId } from '@app/contracts';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key';

describe(generateApiKey.name, () => {
  it('embeds the machine user id and stores only a hash of the secret', () => {
    const machineUserId = newId('mu');
    const { apiKey, secretHash } = generateApiKey(machineUserId);
    const parsed = parseApiKey(apiKey);
    expect(parsed?.machineUserId).toBe(machineUserId);
    expect(secretHash.equals(hashSecret(parsed!.secret))).toBe(true);
    expect(secretHash.toString('hex')).not.toContain(parsed!.secret);
  });

  it('checks a presented secret against the stored hash', () => {
    const { apiKey, secretHash } = generateApiKey(newId('mu'));
    const { secret } = parseApiKey(apiKey)!;
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}x`, secretHash)).toBe(false);
  });

  it.each(['', 'sdk_', 'Bearer abc', `sdk_${newId('mu')}_short`, `sdk_${newId('c')}_${'a'.repeat(43)}`])(
    'does not parse %p as a key',
    (value) => expect(parseApiKey(value)).toBeUndefined(),
  );
});
