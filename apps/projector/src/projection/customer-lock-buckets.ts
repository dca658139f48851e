/** How many advisory locks customers share; a power of two so the bucket is the hash's low bits. */
export const LOCK_BUCKETS = 128;

/** FNV-1a (32 bits) of the customer id: stable across processes and versions, unlike a language hash. */
export function lockBucketOf(customerId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    hash ^= customerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % LOCK_BUCKETS;
}
