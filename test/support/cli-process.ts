import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DIST_DIR } from './app-process';
import { ROOT } from './infra-state';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`node dist/apps/cli/src/main.js …`) with the run's environment plus `env`. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCommand(process.execPath, [join(ROOT, DIST_DIR, 'apps/cli/src/main.js'), ...args], env);
}

export function runCommand(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  // An undefined value removes the variable (spawn would pass the string "undefined").
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined),
  );
  const child = spawn(command, args, {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
