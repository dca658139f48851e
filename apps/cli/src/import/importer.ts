import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Checkpoint } from './checkpoint';
import { InOrder } from './in-order';
import { type BatchItemResult, postBatch } from './gateway-batch.client';
import { type ImportItem, isReject, type LocalReject, parseLine } from './import-line';

export interface ImportOptions {
  file: string;
  apiKey: string;
  gatewayUrl: string;
  concurrency: number;
  batchSize: number;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  linesDone: number;
  accepted: number;
  rejected: number;
  /** Blank lines, skipped: accepted + rejected + blank = linesDone. */
  blank: number;
  /** Lines done by this run alone (a resumed run starts after the checkpoint): what its rate is measured on. */
  linesThisRun: number;
}

export interface ImportSummary extends ImportProgress {
  totalLines: number;
  resumedFrom: number;
  durationMs: number;
  interrupted: boolean;
  rejectsFile: string;
  /** Lines per second of this run (lines skipped by a resume not counted). */
  linesPerSecond: number;
}

interface RejectedLine {
  line: number;
  raw: string;
  error: unknown;
}

interface Batch {
  first: number;
  last: number;
  items: ImportItem[];
  localRejects: LocalReject[];
}

/** Counts lines with a streaming pass (bounded memory), for the progress bar's total. */
export async function countLines(file: string): Promise<number> {
  let count = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
    last = chunk[chunk.length - 1];
  }
  return last === 10 ? count : count + 1;
}

function rejectedLinesIn(path: string): Set<number> {
  if (!existsSync(path)) return new Set();
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  return new Set(lines.map((l) => (JSON.parse(l) as { line: number }).line));
}

/**
 * Streams an NDJSON file of events through the gateway's batch endpoint: bounded memory, `concurrency` batches
 * in flight, idempotency keys derived from file and line, a checkpoint after every batch so an interrupted run
 * resumes where it stopped, and every rejected line (with its error) in `<file>.rejects.ndjson`.
 */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const file = resolve(options.file);
  const fileName = basename(file);
  const checkpointPath = `${file}.checkpoint.json`;
  const rejectsFile = `${file}.rejects.ndjson`;
  const checkpoint = new Checkpoint(checkpointPath);
  const resumedFrom = checkpoint.state.linesDone;
  const totalLines = await countLines(file);
  const alreadyRejected = resumedFrom > 0 ? rejectedLinesIn(rejectsFile) : new Set<number>();
  const rejects = createWriteStream(rejectsFile, { flags: resumedFrom > 0 ? 'a' : 'w' });
  const inLineOrder = new InOrder<RejectedLine>(resumedFrom + 1);
  const writeRejects = (batch: Batch, rejected: RejectedLine[]) => {
    for (const { line, raw, error } of inLineOrder.finish(batch.first, batch.last, rejected)) {
      if (alreadyRejected.has(line)) continue;
      alreadyRejected.add(line);
      rejects.write(`${JSON.stringify({ line, error, input: raw })}\n`);
    }
  };

  const progress: ImportProgress = {
    linesDone: resumedFrom,
    accepted: checkpoint.state.accepted,
    rejected: checkpoint.state.rejected,
    blank: resumedFrom - checkpoint.state.accepted - checkpoint.state.rejected,
    linesThisRun: 0,
  };
  const inFlight = new Set<Promise<void>>();
  let fatal: unknown;

  const send = async (batch: Batch): Promise<void> => {
    const results: BatchItemResult[] = batch.items.length
      ? await postBatch(
          options.gatewayUrl,
          options.apiKey,
          batch.items.map((i) => i.event),
        )
      : [];
    const rejectedLines: RejectedLine[] = [...batch.localRejects];
    for (const result of results) {
      if (!result.success) rejectedLines.push({ ...batch.items[result.index], error: result.error });
    }
    rejectedLines.sort((a, b) => a.line - b.line);
    writeRejects(batch, rejectedLines);
    const rejected = rejectedLines.length;
    const accepted = results.length - (rejected - batch.localRejects.length);
    const lines = batch.last - batch.first + 1;
    checkpoint.finish(batch.first, batch.last, accepted, rejected);
    checkpoint.save();
    progress.linesDone += lines;
    progress.linesThisRun += lines;
    progress.accepted += accepted;
    progress.rejected += rejected;
    progress.blank += lines - accepted - rejected;
    options.onProgress?.({ ...progress });
  };

  const dispatch = async (batch: Batch) => {
    const task = send(batch).catch((error: unknown) => {
      fatal ??= error;
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
  };

  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  let batch: Batch | undefined;
  for await (const raw of lines) {
    lineNo++;
    if (lineNo <= resumedFrom) continue;
    if (options.signal?.aborted || fatal) break;
    batch ??= { first: lineNo, last: lineNo, items: [], localRejects: [] };
    batch.last = lineNo;
    const parsed = parseLine(fileName, lineNo, raw);
    if (parsed && isReject(parsed)) batch.localRejects.push(parsed);
    else if (parsed) batch.items.push(parsed);
    if (batch.items.length >= options.batchSize) {
      await dispatch(batch);
      batch = undefined;
    }
  }
  lines.close();
  if (batch && !options.signal?.aborted && !fatal) await dispatch(batch);
  await Promise.all(inFlight);
  await new Promise<void>((done) => rejects.end(done));

  const interrupted = Boolean(options.signal?.aborted) || fatal !== undefined;
  if (fatal) throw fatal instanceof Error ? fatal : new Error(JSON.stringify(fatal));
  // A finished import leaves no checkpoint: running it again resends everything, and the keys dedupe it.
  if (!interrupted) rmSync(checkpointPath, { force: true });
  const durationMs = Date.now() - started;
  const linesPerSecond = Math.round(progress.linesThisRun / Math.max(0.001, durationMs / 1000));
  return { ...progress, totalLines, resumedFrom, durationMs, interrupted, rejectsFile, linesPerSecond };
}
