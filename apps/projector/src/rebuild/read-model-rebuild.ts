import { NestFactory } from '@nestjs/core';
import type { Admin, Kafka } from 'kafkajs';
import { DataSource, type QueryRunner } from 'typeorm';
import { KnownWorkspaces, WorkspacesRepository } from '@app/auth';
import { TOPICS } from '@app/contracts';
import { KafkaBatchServer, type KafkaPublisher } from '@app/kafka';
import { sqlStateOf } from '@app/database';
import { ProjectionModule, REBUILD_TABLES } from '../projection';
import { highWatermarks, messagesLeft, type OffsetTargets } from './group-offsets';
import { RebuildTablesRepository } from './rebuild-tables.repository';

export interface RebuildOptions {
  /** Real topic names: customer-events, customer-changes. */
  eventsTopic: string;
  changesTopic: string;
  /** A group that has never consumed: it starts from the earliest retained offset. */
  groupId: string;
  sessionTimeoutMs?: number;
  /** Batches applied at once (and joined into one write per topic): PROJECTOR_PARTITIONS_CONCURRENTLY. */
  partitionsConsumedConcurrently?: number;
  pollMs?: number;
  onProgress?: (progress: { phase: 'catching-up' | 'swapping'; messagesLeft: number }) => void;
}

export interface RebuildReport {
  groupId: string;
  timelineItems: number;
  customers: number;
  tombstones: number;
  swapAttempts: number;
}

export class RebuildInProgressError extends Error {
  constructor() {
    super('Another projector rebuild is running on this database');
    this.name = 'RebuildInProgressError';
  }
}

const SWAP_ATTEMPTS = 5;
const SWAP_LOCK_TIMEOUT_MS = 5000;
// lock_not_available (lock_timeout) and deadlock_detected: the live projector or a reader was in the way.
const RETRYABLE_SWAP_STATES = new Set(['55P03', '40P01']);

/**
 * Rebuilds the read models from the topics while the API keeps serving the old ones:
 * 1. fresh `_rebuild` copies of the tables; the live projection's own module (ProjectionModule, booted by Nest
 *    as a microservice on REBUILD_TABLES) reads both topics with a new consumer group from the earliest offset
 *    into them, up to the high watermarks captured at the start;
 * 2. one transaction blocks the live projector's writes (reads go on), lets the rebuild catch up to the high
 *    watermarks as they are now (so it holds everything the live projector has written), and swaps the
 *    tables by renaming. The live projector then carries on from its own offsets into the new tables; what
 *    it replays is idempotent.
 * What the topics no longer retain cannot be rebuilt: retention bounds a rebuild.
 */
export class ReadModelRebuild {
  private readonly tables = new RebuildTablesRepository();

  constructor(
    private readonly db: DataSource,
    private readonly kafka: Kafka,
    private readonly publisher: KafkaPublisher,
    private readonly options: RebuildOptions,
  ) {}

  async run(): Promise<RebuildReport> {
    const session = this.db.createQueryRunner();
    const admin = this.kafka.admin();
    await session.connect();
    await admin.connect();
    try {
      if (!(await this.tables.tryLock(session))) throw new RebuildInProgressError();
      try {
        return await this.rebuild(session, admin);
      } catch (error) {
        await this.tables.drop(session).catch(() => undefined);
        throw error;
      } finally {
        await this.tables.unlock(session).catch(() => undefined);
      }
    } finally {
      await admin.deleteGroups([this.options.groupId]).catch(() => undefined);
      await admin.disconnect();
      await session.release();
    }
  }

  private async rebuild(session: QueryRunner, admin: Admin): Promise<RebuildReport> {
    const { eventsTopic, changesTopic } = this.options;
    await this.tables.create(session);
    const start = await highWatermarks(admin, [eventsTopic, changesTopic]);
    // The live projection's module and checks (messages of unknown workspaces go to the DLQ), on other tables.
    const server = new KafkaBatchServer(this.kafka, this.publisher, {
      groupId: this.options.groupId,
      topicOf: (pattern) =>
        pattern === TOPICS.customerEvents ? this.options.eventsTopic : this.options.changesTopic,
      fromBeginning: true,
      sessionTimeout: this.options.sessionTimeoutMs,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      waitUntilConsuming: true,
    });
    const projection = await NestFactory.createMicroservice(
      ProjectionModule.forTables(REBUILD_TABLES, {
        providers: [
          { provide: DataSource, useValue: this.db },
          { provide: KnownWorkspaces, useValue: new KnownWorkspaces(new WorkspacesRepository(this.db)) },
        ],
      }),
      { strategy: server, abortOnError: false },
    );
    await projection.listen();
    try {
      await this.waitFor(admin, start, 'catching-up');
      const swapAttempts = await this.swap(session, admin, server);
      return {
        groupId: this.options.groupId,
        swapAttempts,
        ...(await this.tables.countRowsAcrossWorkspaces(session)),
      };
    } finally {
      await projection.close();
    }
  }

  /** The rebuild's consumer stops once it holds everything below the watermarks; the rest is the live projector's. */
  private async swap(session: QueryRunner, admin: Admin, runner: KafkaBatchServer): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      await session.startTransaction();
      try {
        await this.tables.blockLiveWrites(session, SWAP_LOCK_TIMEOUT_MS);
        const end = await highWatermarks(admin, [this.options.eventsTopic, this.options.changesTopic]);
        await this.waitFor(admin, end, 'swapping');
        await runner.stop();
        await this.tables.swap(session);
        await session.commitTransaction();
        return attempt;
      } catch (error) {
        await session.rollbackTransaction();
        const state = sqlStateOf(error);
        if (attempt >= SWAP_ATTEMPTS || !state || !RETRYABLE_SWAP_STATES.has(state)) throw error;
        await runner.start();
      }
    }
  }

  private async waitFor(admin: Admin, targets: OffsetTargets, phase: 'catching-up' | 'swapping') {
    for (;;) {
      const left = await messagesLeft(admin, this.options.groupId, targets);
      this.options.onProgress?.({ phase, messagesLeft: left });
      if (left === 0) return;
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 250));
    }
  }
}
