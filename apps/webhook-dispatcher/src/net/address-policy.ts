import { BlockList, isIP } from 'node:net';

/**
 * Destinations a webhook must never reach unless private targets are allowed: loopback, private networks,
 * link-local (cloud metadata at 169.254.169.254), CGNAT, multicast, reserved and documentation ranges, and
 * their IPv4-mapped and NAT64 IPv6 forms (BlockList matches ::ffff:10.0.0.1 against 10.0.0.0/8 itself).
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/** True for an IP address a webhook may not be sent to; false for public addresses. Not an IP → throws. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  if (family === 6) {
    const translated = nat64Embedded(bare);
    if (translated) return FORBIDDEN.check(translated, 'ipv4');
  }
  return FORBIDDEN.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

const NAT64 = new BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');

/** 64:ff9b::a00:1 is how a NAT64 network reaches 10.0.0.1: judge it by the IPv4 address it carries. */
function nat64Embedded(address: string): string | undefined {
  if (!NAT64.check(address, 'ipv6')) return undefined;
  const groups = address.split(':');
  const tail = groups[groups.length - 1];
  if (tail.includes('.')) return tail;
  const high = parseInt(groups[groups.length - 2] || '0', 16);
  const low = parseInt(tail || '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** A URL hostname that is an IP literal (IPv6 without its brackets), or undefined for a DNS name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) === 0 ? undefined : bare;
}
