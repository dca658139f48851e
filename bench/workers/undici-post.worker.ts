import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { workerMain } from '../run-worker';

export interface PostJob {
  url: string;
  /** JSON lines: one body per line, posted in order. */
  bodiesFile: string;
  concurrency: number;
}

export interface PostSummary {
  posted: number;
  failed: number;
  elapsedMs: number;
  /** This process's CPU time per POST, in milliseconds. */
  cpuMsPerPost: number;
}

/** The webhooks baseline: a bare undici client POSTing the same bodies, `concurrency` at a time, keep-alive. */
workerMain(async (job: PostJob): Promise<PostSummary> => {
  const bodies = readFileSync(job.bodiesFile, 'utf8').split('\n').filter(Boolean);
  const url = new URL(job.url);
  const pool = new Pool(url.origin, { connections: job.concurrency, keepAliveTimeout: 10_000 });
  let next = 0;
  let posted = 0;
  let failed = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const loop = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const response = await pool.request({
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json' },
        body: bodies[i],
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) posted++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();
  return { posted, failed, elapsedMs, cpuMsPerPost: (cpu.user + cpu.system) / 1000 / bodies.length };
});
