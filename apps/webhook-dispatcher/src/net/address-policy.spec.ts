import { ipLiteralOf, isForbiddenAddress } from './address-policy';

describe(isForbiddenAddress.name, () => {
  it.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['another loopback address', '127.42.0.1'],
    ['IPv6 loopback', '::1'],
    ['IPv6 loopback in URL brackets', '[::1]'],
    ['the cloud metadata address', '169.254.169.254'],
    ['a 10/8 address', '10.0.0.1'],
    ['a 172.16/12 address', '172.31.255.1'],
    ['a 192.168/16 address', '192.168.1.10'],
    ['carrier-grade NAT', '100.64.1.1'],
    ['the unspecified address', '0.0.0.0'],
    ['IPv6 unspecified', '::'],
    ['IPv6 unique-local', 'fd12:3456::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['an IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['an IPv4-mapped private address in hex', '::ffff:a00:1'],
    ['multicast', '224.0.0.251'],
    ['a NAT64 form of a private address', '64:ff9b::a00:1'],
    ['a NAT64 form of loopback, dotted', '64:ff9b::127.0.0.1'],
  ])('refuses %s (%s)', (_, address) => expect(isForbiddenAddress(address)).toBe(true));

  it.each([
    ['a public IPv4 address', '93.184.215.14'],
    ['172.32.0.1, just outside 172.16/12', '172.32.0.1'],
    ['a public IPv6 address', '2606:4700:4700::1111'],
    ['a NAT64 form of a public address', '64:ff9b::5db8:d70e'],
  ])('allows %s', (_, address) => expect(isForbiddenAddress(address)).toBe(false));

  it('throws for something that is not an IP address', () => {
    expect(() => isForbiddenAddress('example.com')).toThrow(/not an IP/);
  });
});

describe(ipLiteralOf.name, () => {
  it('recognises IPv4 and bracketed IPv6 hostnames, and not DNS names', () => {
    expect(ipLiteralOf('10.0.0.1')).toBe('10.0.0.1');
    expect(ipLiteralOf('[::1]')).toBe('::1');
    expect(ipLiteralOf('hooks.example.com')).toBeUndefined();
  });

  it('sees through the WHATWG URL normalisation of exotic IPv4 spellings', () => {
    expect(ipLiteralOf(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(ipLiteralOf(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
  });
});
