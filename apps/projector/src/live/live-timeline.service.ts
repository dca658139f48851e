import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ApiKeyRevocations, type AuthContext } from '@app/auth';
import { APP_CONFIG, type ProjectorEnv } from '@app/config';
import type { WorkspaceId } from '@app/contracts';
import { CustomerNotFoundError, RateLimitedError, ServiceUnavailableError } from '@app/http';
import { DirectoryRepository } from '../directory';
import { timelineStreamKey } from '../projection';
import { decodeLivePosition } from './live-position';
import { LiveTimelineRepository } from './live-timeline.repository';
import type { EventSink } from './sse-response';
import { TimelineNotifications } from './timeline-notifications';
import { TimelineStream } from './timeline-stream';
import { StreamSlots } from './stream-slots';

/** Open streams per replica, all keys together; past it a client gets 503 and retries (another replica, or later). */
const MAX_STREAMS = 500;
/** What a key over its stream quota is told to wait: streams free up as its clients close them. */
const QUOTA_RETRY_AFTER_S = 10;
/** A stream at its lifetime first sends what was announced; one stuck on a read is closed after this anyway. */
const END_GRACE_MS = 5000;

@Injectable()
export class LiveTimelineService implements OnModuleDestroy {
  private readonly sinks = new Set<EventSink>();
  private readonly slots: StreamSlots;
  private readonly maxLifetimeMs: number;

  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: LiveTimelineRepository,
    private readonly notifications: TimelineNotifications,
    private readonly revocations: ApiKeyRevocations,
    @Inject(APP_CONFIG) config: ProjectorEnv,
  ) {
    this.slots = new StreamSlots(MAX_STREAMS, config.LIVE_STREAMS_PER_KEY);
    this.maxLifetimeMs = config.LIVE_STREAM_MAX_LIFETIME_MS;
  }

  /**
   * Checks everything that can still be answered with an error status (bad Last-Event-ID, key over its quota,
   * unknown customer, no LISTEN connection), then `connect`s the response and streams the customer's new
   * items into it until the client leaves, the key is revoked, or the stream reaches its maximum lifetime.
   */
  async open(
    auth: AuthContext,
    externalId: string,
    lastEventId: string | undefined,
    connect: () => EventSink,
  ): Promise<void> {
    const resumeFrom = lastEventId ? decodeLivePosition(lastEventId) : undefined;
    if (!this.notifications.listening) {
      throw new ServiceUnavailableError('Live updates are unavailable right now; retry later');
    }
    // Taken before any await, so that concurrent requests cannot all pass the check.
    const taken = this.slots.take(auth.machineUserId);
    if (taken === 'key-full') throw new RateLimitedError(QUOTA_RETRY_AFTER_S);
    if (taken === 'all-full') {
      throw new ServiceUnavailableError('Live updates are unavailable right now; retry later');
    }
    let sink: EventSink;
    let customerId: string;
    try {
      customerId = await this.customerIdOf(auth.workspaceId, externalId);
      sink = connect();
    } catch (error) {
      this.slots.release(auth.machineUserId);
      throw error;
    }
    const stream = new TimelineStream(
      { workspaceId: auth.workspaceId, customerId, externalId },
      this.repository,
      sink,
      resumeFrom ?? { createdAt: new Date().toISOString(), id: '' },
      resumeFrom !== undefined,
    );
    const unsubscribe = this.notifications.subscribe(timelineStreamKey(auth.workspaceId, customerId), stream);
    // Spread over the last tenth, so streams opened together (after a deploy) do not all reconnect together.
    let ending: NodeJS.Timeout | undefined;
    const lifetime = setTimeout(
      () => {
        stream.end();
        ending = setTimeout(() => sink.close(), END_GRACE_MS);
      },
      this.maxLifetimeMs * (0.9 + Math.random() * 0.1),
    );
    // A key revoked already (while this request was checked) closes the sink here and now.
    const unwatch = this.revocations.watch(auth.machineUserId, () => sink.close());
    this.sinks.add(sink);
    sink.onClose(() => {
      clearTimeout(lifetime);
      clearTimeout(ending);
      unsubscribe();
      unwatch();
      this.sinks.delete(sink);
      this.slots.release(auth.machineUserId);
    });
    stream.begin();
  }

  /** Open streams would hold the HTTP server open past shutdown: their clients reconnect elsewhere. */
  onModuleDestroy(): void {
    for (const sink of [...this.sinks]) sink.close();
  }

  private async customerIdOf(workspaceId: WorkspaceId, externalId: string): Promise<string> {
    const entry = await this.directory.findByExternalId(workspaceId, externalId);
    if (!entry) throw new CustomerNotFoundError(externalId, 'externalId');
    return entry.customerId;
  }
}
