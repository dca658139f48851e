import { Logger } from '@nestjs/common';
import type { WorkspaceId } from '@app/contracts';
import type { TimelineItem } from '../timeline';
import { encodeLivePosition, laterOf, type LivePosition } from './live-position';
import type { LiveTimelineRepository } from './live-timeline.repository';
import { sseFrame } from './sse-frames';
import type { EventSink } from './sse-response';
import type { LandingListener } from './timeline-notifications';

export interface StreamScope {
  workspaceId: WorkspaceId;
  customerId: string;
  externalId: string;
}

const CATCH_UP_PAGE = 200;
/** A client that missed more than this reloads the timeline instead (a `reset` event). */
const CATCH_UP_MAX = 1000;
/** Ids already sent, to skip a redelivered batch's notification; older ones are forgotten. */
const REMEMBERED_IDS = 5000;

/**
 * One client's live timeline: the items the projection announces for this customer, each sent once, as
 * `item` events whose id is the stream's position. Steps (catching up, reading announced items) run one after
 * the other, so items go out in the order they were read.
 */
export class TimelineStream implements LandingListener {
  private readonly logger = new Logger(TimelineStream.name);
  private readonly sent = new Set<string>();
  private readonly announced = new Set<string>();
  private work: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly scope: StreamScope,
    private readonly repository: LiveTimelineRepository,
    private readonly sink: EventSink,
    private position: LivePosition,
    private readonly resumed: boolean,
  ) {
    sink.onClose(() => (this.stopped = true));
  }

  /** A resumed stream first sends what was created after its position; then every stream says `ready`. */
  begin(): void {
    this.enqueue(async () => {
      if (this.resumed && !(await this.catchUp())) return;
      const { externalId, customerId } = this.scope;
      this.sink.send(
        sseFrame({ event: 'ready', id: encodeLivePosition(this.position), data: { externalId, customerId } }),
      );
    });
  }

  /**
   * Ends the stream cleanly: items already announced are read and sent first, so the client's last event id
   * covers them and its reconnection (with Last-Event-ID) resumes after them.
   */
  end(): void {
    this.enqueue(async () => {
      await this.readAnnounced();
      this.sink.close();
    });
  }

  itemsLanded(itemIds: string[]): void {
    for (const id of itemIds) if (!this.sent.has(id)) this.announced.add(id);
    this.enqueue(() => this.readAnnounced());
  }

  notificationsMissed(): void {
    this.enqueue(async () => void (await this.catchUp()));
  }

  private enqueue(step: () => Promise<void>): void {
    this.work = this.work
      .then(() => (this.stopped ? undefined : step()))
      .catch((error: unknown) => this.fail(error));
  }

  private async readAnnounced(): Promise<void> {
    if (this.announced.size === 0) return;
    const ids = [...this.announced];
    this.announced.clear();
    const { workspaceId, customerId } = this.scope;
    for (const item of await this.repository.byIds(workspaceId, customerId, ids)) this.emit(item);
  }

  /** Sends what was created after the position; false when that was too much and the client must reload. */
  private async catchUp(): Promise<boolean> {
    const { workspaceId, customerId } = this.scope;
    for (let total = 0; ;) {
      const items = await this.repository.createdAfter(workspaceId, customerId, this.position, CATCH_UP_PAGE);
      for (const item of items) this.emit(item);
      total += items.length;
      if (items.length < CATCH_UP_PAGE) return true;
      if (total >= CATCH_UP_MAX) {
        this.sink.send(sseFrame({ event: 'reset', data: { reason: 'Too many items missed: reload' } }));
        this.sink.close();
        return false;
      }
    }
  }

  private emit(item: TimelineItem): void {
    if (this.sent.has(item.id)) return;
    this.remember(item.id);
    this.position = laterOf(this.position, { createdAt: item.createdAt, id: item.id });
    this.sink.send(sseFrame({ event: 'item', id: encodeLivePosition(this.position), data: item }));
  }

  private remember(id: string): void {
    this.sent.add(id);
    if (this.sent.size > REMEMBERED_IDS) this.sent.delete(this.sent.values().next().value!);
  }

  /** The client reconnects (with Last-Event-ID) and resumes; nothing is lost by ending here. */
  private fail(error: unknown): void {
    this.logger.warn({ err: error, customerId: this.scope.customerId }, 'Live timeline stream failed');
    this.sink.close();
  }
}
