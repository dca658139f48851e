import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpoint } from './checkpoint';

describe(Checkpoint.name, () => {
  const path = () => join(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'events.ndjson.checkpoint.json');

  it('advances only over the unbroken run of finished batches', () => {
    const sut = new Checkpoint(path());
    sut.finish(11, 20, 10, 0);
    expect(sut.state.linesDone).toBe(0);
    sut.finish(1, 10, 9, 1);
    expect(sut.state).toEqual({ linesDone: 20, accepted: 19, rejected: 1 });
    sut.finish(31, 40, 10, 0);
    expect(sut.state.linesDone).toBe(20);
  });

  it('is read back by the next run', () => {
    const file = path();
    const first = new Checkpoint(file);
    first.finish(1, 500, 495, 5);
    first.save();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ linesDone: 500, accepted: 495, rejected: 5 });
    expect(new Checkpoint(file).state.linesDone).toBe(500);
  });
});
