import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(error: ValidationError): string {
  const constraints = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property}: ${constraints || 'is invalid'} (got ${JSON.stringify(error.value)})`;
}

/**
 * Builds a typed config object from environment variables and validates it; throws a ConfigError that names
 * every bad variable. Empty strings count as unset so `FOO= npm start` falls back to the default.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const known = new Set(Object.keys(new schema()));
  const present = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''),
  );
  const config = plainToInstance(schema, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(errors.map(describe));
  return config;
}

/** For main.ts: print the problems and stop the process before anything connects. */
export function loadConfigOrExit<T extends object>(schema: new () => T): T {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
