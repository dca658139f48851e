import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import { CustomerNotFoundError, ServiceUnavailableError } from '@app/http';
import { DirectoryRepository } from '../directory/directory.repository';
import { isDatabaseUnavailable } from '../timeline/database-unavailable';
import { decodeLivePosition } from './live-position';
import { LiveTimelineRepository } from './live-timeline.repository';
import type { EventSink } from './sse-response';
import { timelineStreamKey } from './timeline-channel';
import { TimelineNotifications } from './timeline-notifications';
import { TimelineStream } from './timeline-stream';

/** Open streams per replica; past it a client gets 503 and retries (another replica, or later). */
const MAX_STREAMS = 500;

@Injectable()
export class LiveTimelineService implements OnModuleDestroy {
  private readonly sinks = new Set<EventSink>();

  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: LiveTimelineRepository,
    private readonly notifications: TimelineNotifications,
  ) {}

  /**
   * Checks everything that can still be answered with an error status (bad Last-Event-ID, unknown customer,
   * no LISTEN connection), then `connect`s the response and streams the customer's new items into it.
   */
  async open(
    auth: AuthContext,
    externalId: string,
    lastEventId: string | undefined,
    connect: () => EventSink,
  ): Promise<void> {
    const resumeFrom = lastEventId ? decodeLivePosition(lastEventId) : undefined;
    if (!this.notifications.listening || this.sinks.size >= MAX_STREAMS) {
      throw new ServiceUnavailableError('Live updates are unavailable right now; retry later');
    }
    const customerId = await this.customerIdOf(auth.workspaceId, externalId);
    const sink = connect();
    const stream = new TimelineStream(
      { workspaceId: auth.workspaceId, customerId, externalId },
      this.repository,
      sink,
      resumeFrom ?? { createdAt: new Date().toISOString(), id: '' },
      resumeFrom !== undefined,
    );
    const unsubscribe = this.notifications.subscribe(timelineStreamKey(auth.workspaceId, customerId), stream);
    this.sinks.add(sink);
    sink.onClose(() => {
      unsubscribe();
      this.sinks.delete(sink);
    });
    stream.begin();
  }

  /** Open streams would hold the HTTP server open past shutdown: their clients reconnect elsewhere. */
  onModuleDestroy(): void {
    for (const sink of [...this.sinks]) sink.close();
  }

  private async customerIdOf(workspaceId: string, externalId: string): Promise<string> {
    try {
      const entry = await this.directory.findByExternalId(workspaceId, externalId);
      if (!entry) throw new CustomerNotFoundError(externalId, 'externalId');
      return entry.customerId;
    } catch (error) {
      if (isDatabaseUnavailable(error))
        throw new ServiceUnavailableError('The database is unavailable; retry later');
      throw error;
    }
  }
}
