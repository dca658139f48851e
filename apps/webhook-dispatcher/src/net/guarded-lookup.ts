import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isForbiddenAddress } from './address-policy';

export class ForbiddenAddressError extends Error {
  readonly code = 'E_FORBIDDEN_ADDRESS';

  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, a private, loopback or link-local address`);
    this.name = 'ForbiddenAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect that refuses forbidden addresses. The socket connects to exactly the address
 * checked here, so a DNS answer that changes between registration and delivery (DNS rebinding) cannot reach
 * an internal service. Any forbidden address in the answer refuses the whole name.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const forbidden = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (forbidden) return callback(new ForbiddenAddressError(hostname, forbidden.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    return callback(null, first.address, first.family);
  });
}

/** All addresses of a name, for the registration-time check. */
export function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}
