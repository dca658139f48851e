import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type ProjectorEnv } from '@app/config';
import { PgListener } from '@app/database';
import { parseTimelineNotification, TIMELINE_CHANNEL } from '../projection';

/** A live stream, as the notifications see it. */
export interface LandingListener {
  itemsLanded(itemIds: string[]): void;
  /** The LISTEN connection was lost and is back: notifications in between may be missing. */
  notificationsMissed(): void;
}

/** One LISTEN connection per replica, fanning the projection's notifications out to the streams they concern. */
@Injectable()
export class TimelineNotifications implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly listeners = new Map<string, Set<LandingListener>>();
  private readonly listener: PgListener;

  constructor(@Inject(APP_CONFIG) config: ProjectorEnv) {
    this.listener = new PgListener({
      url: config.DATABASE_URL,
      channels: [TIMELINE_CHANNEL],
      applicationName: 'projector-live',
      onNotification: (_channel, payload) => this.dispatch(payload),
      onConnect: () => this.forEachListener((listener) => listener.notificationsMissed()),
    });
  }

  /** A stream opened while this is false would miss what lands until the connection is back. */
  get listening(): boolean {
    return this.listener.connected;
  }

  onApplicationBootstrap(): void {
    this.listener.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }

  /** Returns the unsubscribe function. */
  subscribe(streamKey: string, listener: LandingListener): () => void {
    const set = this.listeners.get(streamKey) ?? new Set<LandingListener>();
    set.add(listener);
    this.listeners.set(streamKey, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(streamKey) === set) this.listeners.delete(streamKey);
    };
  }

  private dispatch(payload: string): void {
    const landed = parseTimelineNotification(payload);
    if (!landed) return;
    for (const listener of this.listeners.get(landed.streamKey) ?? []) listener.itemsLanded(landed.itemIds);
  }

  private forEachListener(visit: (listener: LandingListener) => void): void {
    for (const set of this.listeners.values()) for (const listener of set) visit(listener);
  }
}
