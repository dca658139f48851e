import { spawn } from 'node:child_process';
import { workerEntry } from './paths';

/**
 * Runs `workers/<name>.worker.js` as its own process (load must not share the event loop or the CPU time of
 * the process that hosts a baseline), hands it `params` as JSON on argv and resolves with the JSON it prints.
 */
export function runWorker<T>(name: string, params: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerEntry(name), JSON.stringify(params)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-10_000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`worker ${name} exited with ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`worker ${name} printed no result: ${stdout.slice(-2000)} ${stderr}`));
      }
    });
  });
}

/** Workers read their parameters this way and print their result as one JSON line. */
export function workerParams<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function workerMain<P, R>(work: (params: P) => Promise<R>): void {
  work(workerParams<P>()).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
