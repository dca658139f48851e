import { lookup, type LookupAddress } from 'node:dns';
import { ForbiddenAddressError, guardedLookup } from './guarded-lookup';

// No resolver is asked: each test says what the name "resolves" to.
jest.mock('node:dns', () => ({ lookup: jest.fn() }));

function answers(addresses: LookupAddress[]): void {
  (lookup as unknown as jest.Mock).mockImplementation(
    (_hostname: string, _options: unknown, callback: (error: null, addresses: LookupAddress[]) => void) =>
      callback(null, addresses),
  );
}

function resolve(hostname: string): Promise<{ error: Error | null; address: unknown }> {
  return new Promise((done) => guardedLookup(hostname, {}, (error, address) => done({ error, address })));
}

describe(guardedLookup.name, () => {
  it.each([
    ['an IPv4-compatible loopback', '::7f00:1'],
    ['an IPv4-mapped private address', '::ffff:a00:1'],
    ['a NAT64 form of the metadata address', '64:ff9b::a9fe:a9fe'],
    ['a local-use NAT64 address', '64:ff9b:1::a00:1'],
    ['a 6to4 form of loopback', '2002:7f00:1::1'],
  ])('refuses, at connect time, a name that resolves to %s (%s)', async (_, address) => {
    answers([{ address, family: 6 }]);
    const { error } = await resolve('hooks.test');
    expect(error).toBeInstanceOf(ForbiddenAddressError);
    expect(error?.message).toContain(address);
  });

  it('refuses the whole name when any of its addresses is forbidden', async () => {
    answers([
      { address: '2606:4700:4700::1111', family: 6 },
      { address: '2002:a00:1::', family: 6 },
    ]);
    expect((await resolve('hooks.test')).error).toBeInstanceOf(ForbiddenAddressError);
  });

  it('passes on a public answer, including the NAT64 and 6to4 forms of a public IPv4 address', async () => {
    answers([
      { address: '64:ff9b::5db8:d70e', family: 6 },
      { address: '2002:5db8:d70e::1', family: 6 },
    ]);
    expect(await resolve('hooks.test')).toEqual({ error: null, address: '64:ff9b::5db8:d70e' });
  });
});
