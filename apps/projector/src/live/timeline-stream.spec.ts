import { newId, parseWorkspaceId } from '@app/contracts';
import type { TimelineItem } from '../timeline';
import { decodeLivePosition, type LivePosition } from './live-position';
import type { LiveTimelineRepository } from './live-timeline.repository';
import type { EventSink } from './sse-response';
import { TimelineStream } from './timeline-stream';

const scope = { workspaceId: parseWorkspaceId(newId('w')), customerId: newId('c'), externalId: 'user_42' };
const start: LivePosition = { createdAt: '2026-04-18T10:00:00.000Z', id: '' };

function item(createdAt: string): TimelineItem {
  return {
    id: newId('cev'),
    type: 'order.placed',
    title: null,
    payload: {},
    occurredAt: createdAt,
    createdAt,
  };
}

function fakes(stored: TimelineItem[]) {
  const frames: Array<{ event: string; id?: string; data: any }> = [];
  let closed = false;
  const sink: EventSink = {
    send: (frame) => {
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      const event = /^event: (.*)$/m.exec(frame)![1];
      frames.push({ event, id, data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]) });
    },
    close: () => (closed = true),
    onClose: () => undefined,
  };
  const repository = {
    byIds: jest.fn((_w: string, _c: string, ids: string[]) =>
      Promise.resolve(stored.filter((i) => ids.includes(i.id))),
    ),
    createdAfter: jest.fn((_w: string, _c: string, after: LivePosition, limit: number) =>
      Promise.resolve(
        stored
          .filter(
            (i) => i.createdAt > after.createdAt || (i.createdAt === after.createdAt && i.id > after.id),
          )
          .slice(0, limit),
      ),
    ),
  };
  return {
    sink,
    repository: repository as unknown as LiveTimelineRepository & typeof repository,
    frames,
    isClosed: () => closed,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
const sentIds = (frames: Array<{ event: string; data: any }>) =>
  frames.filter((f) => f.event === 'item').map((f) => f.data.id);

describe(TimelineStream.name, () => {
  it('says ready first, then sends each announced item once, with the stream position as its id', async () => {
    const landed = item('2026-04-18T10:00:01.000Z');
    const { sink, repository, frames } = fakes([landed]);
    const sut = new TimelineStream(scope, repository, sink, start, false);
    sut.begin();
    sut.itemsLanded([landed.id]);
    sut.itemsLanded([landed.id]); // a redelivered batch announces it again
    await settle();
    expect(frames.map((f) => f.event)).toEqual(['ready', 'item']);
    expect(frames[0].data).toEqual({ externalId: 'user_42', customerId: scope.customerId });
    expect(decodeLivePosition(frames[0].id!)).toEqual(start);
    expect(frames[1].data).toEqual(landed);
    expect(decodeLivePosition(frames[1].id!)).toEqual({ createdAt: landed.createdAt, id: landed.id });
  });

  it('keeps its position at the latest item sent when a late item (older createdAt) lands after it', async () => {
    const recent = item('2026-04-18T10:00:05.000Z');
    const late = item('2026-04-18T09:00:00.000Z');
    const { sink, repository, frames } = fakes([recent, late]);
    const sut = new TimelineStream(scope, repository, sink, start, false);
    sut.begin();
    sut.itemsLanded([recent.id]);
    sut.itemsLanded([late.id]);
    await settle();
    expect(sentIds(frames)).toEqual([recent.id, late.id]);
    expect(decodeLivePosition(frames[2].id!).id).toBe(recent.id);
  });

  it('when resumed, sends what was created after its position before saying ready', async () => {
    const before = item('2026-04-18T09:59:00.000Z');
    const after = [item('2026-04-18T10:00:01.000Z'), item('2026-04-18T10:00:02.000Z')];
    const { sink, repository, frames } = fakes([before, ...after]);
    new TimelineStream(scope, repository, sink, start, true).begin();
    await settle();
    expect(frames.map((f) => f.event)).toEqual(['item', 'item', 'ready']);
    expect(sentIds(frames)).toEqual(after.map((i) => i.id));
    expect(decodeLivePosition(frames[2].id!).id).toBe(after[1].id);
  });

  it('asks the client to reload (reset) and ends when it missed more than it may catch up', async () => {
    const many = Array.from({ length: 1200 }, (_, i) =>
      item(new Date(Date.parse(start.createdAt) + 1000 + i).toISOString()),
    );
    const { sink, repository, frames, isClosed } = fakes(many);
    new TimelineStream(scope, repository, sink, start, true).begin();
    await settle();
    expect(frames[frames.length - 1].event).toBe('reset');
    expect(frames.some((f) => f.event === 'ready')).toBe(false);
    expect(isClosed()).toBe(true);
  });

  it('when ended (its lifetime is over), first sends the items already announced, then closes', async () => {
    const landed = item('2026-04-18T10:00:01.000Z');
    const { sink, repository, frames, isClosed } = fakes([landed]);
    const sut = new TimelineStream(scope, repository, sink, start, false);
    sut.begin();
    sut.itemsLanded([landed.id]);
    sut.end();
    await settle();
    expect(sentIds(frames)).toEqual([landed.id]);
    expect(isClosed()).toBe(true);
  });

  it('ends the stream when a read fails, so the client reconnects and resumes', async () => {
    const { sink, repository, frames, isClosed } = fakes([]);
    repository.byIds.mockRejectedValueOnce(new Error('connection terminated'));
    const sut = new TimelineStream(scope, repository, sink, start, false);
    sut.begin();
    sut.itemsLanded([newId('cev')]);
    await settle();
    expect(frames.map((f) => f.event)).toEqual(['ready']);
    expect(isClosed()).toBe(true);
  });
});
