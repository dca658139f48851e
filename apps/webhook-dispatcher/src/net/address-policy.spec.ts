import fc from 'fast-check';
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
    ['a NAT64 form of the metadata address', '64:ff9b::a9fe:a9fe'],
    ['a NAT64 form of CGNAT', '64:ff9b::6440:101'],
    ['an IPv4-compatible loopback, dotted', '::127.0.0.1'],
    ['an IPv4-compatible loopback in hex', '::7f00:1'],
    ['an IPv4-compatible private address', '::a00:1'],
    ['an IPv4-compatible public address, dotted as glibc writes it (not IPv4-mapped)', '::93.184.215.14'],
    ['an IPv4-compatible form of even a public address (deprecated, refused outright)', '::5db8:d70e'],
    ['an IPv4-mapped metadata address', '::ffff:169.254.169.254'],
    ['an IPv4-mapped 192.168/16 address in hex', '::ffff:c0a8:10a'],
    ['an IPv4-mapped unspecified address', '::ffff:0.0.0.0'],
    ['an IPv4-mapped loopback, fully written', '0:0:0:0:0:ffff:7f00:1'],
    ['an IPv4-translated loopback', '::ffff:0:7f00:1'],
    ['a local-use NAT64 form of loopback', '64:ff9b:1::7f00:1'],
    ['a local-use NAT64 form of a public address (refused outright)', '64:ff9b:1:5db8:d70e::'],
    ['a 6to4 form of loopback', '2002:7f00:1::1'],
    ['a 6to4 form of a private address', '2002:a00:1::'],
    ['a 6to4 form of the metadata address', '2002:a9fe:a9fe::1'],
    ['a 6to4 form of 172.16/12', '2002:ac10:1:1::1'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv6 discard-only', '100::1'],
    ['IPv6 deprecated site-local', 'fec0::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv6 link-local with a zone', 'fe80::1%eth0'],
    ['IPv6 link-local with a VLAN interface as zone', 'fe80::1%eth0.10'],
    ['an IPv4-mapped loopback with a zone', '::ffff:127.0.0.1%lo-0'],
    ['IPv4 broadcast', '255.255.255.255'],
    ['IPv4 reserved (240/4)', '240.0.0.1'],
    ['IPv4 documentation', '192.0.2.1'],
    ['IPv4 benchmarking', '198.18.0.1'],
    ['IPv4 IETF protocol assignments', '192.0.0.8'],
  ])('refuses %s (%s)', (_, address) => expect(isForbiddenAddress(address)).toBe(true));

  it.each([
    ['a public IPv4 address', '93.184.215.14'],
    ['172.32.0.1, just outside 172.16/12', '172.32.0.1'],
    ['a public IPv6 address', '2606:4700:4700::1111'],
    ['a NAT64 form of a public address', '64:ff9b::5db8:d70e'],
    ['a NAT64 form of a public address, dotted', '64:ff9b::93.184.215.14'],
    ['an IPv4-mapped public address', '::ffff:93.184.215.14'],
    ['an IPv4-mapped public address in hex', '::ffff:5db8:d70e'],
    ['a 6to4 form of a public address', '2002:5db8:d70e::1'],
    ['another public IPv6 address', '2a00:1450:4001:80b::200e'],
    ['a public IPv6 address with a zone', '2606:4700:4700::1111%eth0.10'],
  ])('allows %s', (_, address) => expect(isForbiddenAddress(address)).toBe(false));

  it('judges the IPv4-mapped, NAT64 and 6to4 forms of any IPv4 address as that address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split('.').map(Number);
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        const expected = isForbiddenAddress(v4);
        expect(isForbiddenAddress(`::ffff:${v4}`)).toBe(expected);
        expect(isForbiddenAddress(`64:ff9b::${hex(a, b)}:${hex(c, d)}`)).toBe(expected);
        expect(isForbiddenAddress(`2002:${hex(a, b)}:${hex(c, d)}::1`)).toBe(expected);
        // Forms that are refused whatever they carry.
        expect(isForbiddenAddress(`::${v4}`)).toBe(true);
        expect(isForbiddenAddress(`64:ff9b:1::${v4}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers, never throws, for any address Node calls an IP', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (address) => {
        expect(typeof isForbiddenAddress(address)).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

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
