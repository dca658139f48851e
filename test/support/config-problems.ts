import { ConfigError, loadConfig } from '@app/config';

/** What loadConfig refuses in `env` for `schema`, one message per variable; none when it loads. */
export function configProblems<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
