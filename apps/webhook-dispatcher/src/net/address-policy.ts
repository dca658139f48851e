import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which destinations a webhook may reach unless private targets are allowed: only addresses that ipaddr.js
 * classifies as global unicast. Everything else is refused: loopback, private networks, link-local (cloud
 * metadata at 169.254.169.254), CGNAT, multicast, broadcast, unspecified, reserved, documentation,
 * benchmarking, unique-local, Teredo, and the rest of the special-purpose registries.
 *
 * IPv6 forms that carry an IPv4 address are judged by that IPv4 address: IPv4-mapped (`::ffff:0:0/96`),
 * NAT64 with the well-known prefix (`64:ff9b::/96`) and 6to4 (`2002::/16`), so `::ffff:10.0.0.1`,
 * `64:ff9b::a00:1` and `2002:a00:1::` are refused like 10.0.0.1, and the same forms of a public address are
 * allowed. Forms whose IPv4 cannot be judged are refused outright: IPv4-compatible (`::/96`, deprecated, and
 * routed by some stacks to the IPv4 it carries), local-use NAT64 (`64:ff9b:1::/48`, where the operator decides
 * where the IPv4 sits), IPv4-translated (`::ffff:0:0:0/96`) and Teredo (`2001::/32`).
 */
const EMBEDDED_IPV4: ReadonlyArray<{ range: [ipaddr.IPv6, number]; at: number }> = [
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('2002::/16'), at: 1 },
];
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

function isPublicIPv4(address: ipaddr.IPv4): boolean {
  return address.range() === 'unicast';
}

function isPublicIPv6(address: ipaddr.IPv6): boolean {
  for (const { range, at } of EMBEDDED_IPV4) {
    if (address.match(range)) return isPublicIPv4(ipv4In(address, at));
  }
  if (address.match(IPV4_COMPATIBLE)) return false;
  return address.range() === 'unicast';
}

/** The IPv4 address held by the two 16-bit groups of `address` starting at group `at`. */
function ipv4In(address: ipaddr.IPv6, at: number): ipaddr.IPv4 {
  const [high, low] = address.parts.slice(at, at + 2);
  return new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
}

/**
 * ipaddr.js reads the deprecated `::a.b.c.d` as IPv4-mapped (`::ffff:a.b.c.d`), where the socket API and the
 * WHATWG URL parser read it as the IPv4-compatible `::XXXX:XXXX` (and glibc writes DNS answers in that form).
 * The URL parser's hex-only serialisation settles it before ipaddr.js classifies.
 */
function parseIPv6(address: string): ipaddr.IPv6 {
  return ipaddr.IPv6.parse(new URL(`http://[${address}]/`).hostname.slice(1, -1));
}

/** True for an IP address a webhook may not be sent to; false for public addresses. Not an IP → throws. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  // A zone (fe80::1%eth0.10) says which interface, not where: ipaddr.js accepts fewer zone names than Node.
  const unzoned = bare.replace(/%.*$/, '');
  try {
    return family === 4 ? !isPublicIPv4(ipaddr.IPv4.parse(unzoned)) : !isPublicIPv6(parseIPv6(unzoned));
  } catch {
    return true; // Node calls it an IP and ipaddr.js cannot read it: refuse rather than guess.
  }
}

/** A URL hostname that is an IP literal (IPv6 without its brackets), or undefined for a DNS name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) === 0 ? undefined : bare;
}
