/** Node's module cache (`require.cache`), or the part of it a test hands in. */
export type ModuleCache = Record<string, { exports: unknown } | undefined>;

type OneArgument = (argument: never) => unknown;

/**
 * Replaces the export of one of kafkajs's (2.2.x) internal modules that exports a function of one argument,
 * before the kafkajs module that keeps it (`loadedBy`) loads it: false, with nothing changed, when `loadedBy` is
 * loaded already (it keeps the function it loaded with) or the module exports something else.
 */
export function replaceKafkajsFunction(
  module: string,
  loadedBy: string,
  replacement: OneArgument,
  cache: ModuleCache,
): boolean {
  return wrapKafkajsFunction(module, loadedBy, () => replacement, cache);
}

/** replaceKafkajsFunction with a function made from the module's own (`wrap` is given kafkajs's export). */
export function wrapKafkajsFunction<F extends OneArgument>(
  module: string,
  loadedBy: string,
  wrap: (original: F) => F,
  cache: ModuleCache,
): boolean {
  if (cache[require.resolve(loadedBy)]) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's internal module, not exported
  require(module);
  const record = cache[require.resolve(module)];
  const original = record?.exports;
  if (!record || typeof original !== 'function' || original.length !== 1) return false;
  record.exports = wrap(original as F);
  return true;
}
