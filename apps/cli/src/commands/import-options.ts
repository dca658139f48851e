import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number within [min, max]. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `must be a whole number of at least ${min}`
          : `must be a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

/** Files an import writes next to its input: importing one of them is a mistake. */
const OWN_FILES = /\.(rejects\.ndjson|checkpoint\.json|checkpoint\.json\.tmp)$/;

/** Why this path cannot be imported, or undefined when it can. */
export function importFileProblem(file: string): string | undefined {
  if (OWN_FILES.test(basename(file))) {
    return `${file} is a file the import itself writes (rejected lines or a checkpoint), not events to import`;
  }
  let stats;
  try {
    stats = statSync(file);
  } catch {
    return `${file} does not exist`;
  }
  return stats.isFile() ? undefined : `${file} is not a regular file`;
}
