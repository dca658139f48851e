/**
 * True when A and B are the same type, field for field: none missing from one, none typed otherwise. A
 * response class states it about the contract or domain type it shows, as `const _shape: SameShape<A, B> =
 * true`, so the build fails when a field is added to one and not the other.
 */
export type SameShape<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
