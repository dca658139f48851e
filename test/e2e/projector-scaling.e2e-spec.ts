import { useOwnTopics } from '@test/support/own-topics';
import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';
import type { AppProcess } from '@test/support/app-process';
import { eventually, sleep } from '@test/support/eventually';
import { createApiKey } from '@test/support/fixtures';
import {
  committedOffsets,
  CustomerScript,
  eventsTopic,
  kafkaClient,
  type Position,
  startProjector,
  TopicWriter,
  withDatabase,
} from './projector-fixtures';

interface Produced {
  id: string;
  customerId: string;
  position: Position;
}

/** Two real projector processes in one consumer group, over the 3 partitions of each test topic. */
describe('projector: replicas in one consumer group', () => {
  let admin: Admin;
  const writer = new TopicWriter();
  const running: AppProcess[] = [];

  beforeAll(async () => {
    await useOwnTopics('projector-scaling');
    admin = kafkaClient().admin();
    await Promise.all([admin.connect(), writer.connect()]);
  });

  // Replicas of every group write the same read model: none may outlive its test.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop('SIGTERM')));
  });

  afterAll(async () => {
    await Promise.all([admin.disconnect(), writer.disconnect()]);
  });

  async function replicas(
    groupId: string,
    env: Record<string, string> = {},
  ): Promise<[AppProcess, AppProcess]> {
    const pair = await Promise.all([0, 1].map(() => startProjector({ PROJECTOR_GROUP_ID: groupId, ...env })));
    running.push(...pair);
    await eventually(
      () => expect(membersOf(groupId)).resolves.toEqual({ state: 'Stable', members: 2 }),
      60000,
      250,
    );
    return pair as [AppProcess, AppProcess];
  }

  async function membersOf(groupId: string) {
    const { groups } = await admin.describeGroups([groupId]);
    return { state: groups[0].state, members: groups[0].members.length };
  }

  /** Produces `total` events over 30 customers (all partitions), in small acknowledged batches. */
  async function produce(total: number, produced: Produced[], halfway: () => Promise<void>): Promise<void> {
    // A real workspace: the projector dead-letters messages of workspaces that do not exist.
    const { workspaceId } = await createApiKey();
    const customers = Array.from({ length: 30 }, () => new CustomerScript(workspaceId));
    let calledHalfway = false;
    for (let round = 0; produced.length < total; round++) {
      const customer = customers[round % customers.length];
      const events = Array.from({ length: 10 }, () => customer.event());
      const positions = await writer.events(...events);
      events.forEach((e, i) => produced.push({ id: e.id, customerId: e.customerId, position: positions[i] }));
      if (!calledHalfway && produced.length >= total / 3) {
        calledHalfway = true;
        await halfway();
      }
      await sleep(5);
    }
  }

  /** How many timeline rows each produced id has, read straight from the read model. */
  async function rowsPerId(produced: Produced[]): Promise<Map<string, number>> {
    const customerIds = [...new Set(produced.map((p) => p.customerId))];
    const rows: Array<{ id: string; n: number }> = await withDatabase(
      async (db) =>
        (
          await db.query(
            'SELECT id, count(*)::int AS n FROM timeline_items WHERE customer_id = ANY($1) GROUP BY id',
            [customerIds],
          )
        ).rows,
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  const allProjectedOnce = (produced: Produced[]) =>
    eventually(
      async () => {
        const rows = await rowsPerId(produced);
        expect(produced.filter((p) => rows.get(p.id) !== 1)).toEqual([]);
        expect(rows.size).toBe(produced.length);
      },
      90000,
      500,
    );

  it('when one replica is SIGKILLed mid-stream, the other takes its partitions over: nothing lost, nothing twice', async () => {
    const groupId = `projector-scaling-${randomBytes(4).toString('hex')}`;
    const [victim, survivor] = await replicas(groupId, { PROJECTOR_SESSION_TIMEOUT_MS: '8000' });
    const produced: Produced[] = [];
    let killedAfter = 0;

    await produce(1500, produced, async () => {
      await victim.kill();
      killedAfter = produced.length;
    });
    expect(victim.child.signalCode).toBe('SIGKILL');
    // Events kept coming to every partition, the victim's included, after it died.
    expect(new Set(produced.slice(killedAfter).map((p) => p.position.partition))).toEqual(new Set([0, 1, 2]));
    await allProjectedOnce(produced);

    expect(await membersOf(groupId)).toEqual({ state: 'Stable', members: 1 });
    expect(survivor.child.exitCode).toBeNull();
  });

  it('on SIGTERM a replica leaves the group at once and exits 0, and the other carries on', async () => {
    const groupId = `projector-shutdown-${randomBytes(4).toString('hex')}`;
    // A 30 s session: a replica that vanished without leaving would stay a member longer than the 15 s allowed.
    const [leaving] = await replicas(groupId, { PROJECTOR_SESSION_TIMEOUT_MS: '30000' });
    const produced: Produced[] = [];
    let exitCode: Promise<number | null> | undefined;

    await produce(900, produced, () => {
      exitCode = leaving.stop('SIGTERM');
      return Promise.resolve();
    });
    expect(await exitCode).toBe(0);
    await eventually(
      () => expect(membersOf(groupId)).resolves.toEqual({ state: 'Stable', members: 1 }),
      15000,
      250,
    );
    await allProjectedOnce(produced);
    expect(leaving.logs).not.toContain('Graceful shutdown timed out');
  });

  it('on SIGTERM the batch in hand is committed before exit: the read model and the committed offsets agree', async () => {
    const groupId = `projector-commit-${randomBytes(4).toString('hex')}`;
    const alone = await startProjector({ PROJECTOR_GROUP_ID: groupId });
    running.push(alone);
    const produced: Produced[] = [];
    let exitCode: Promise<number | null> | undefined;

    await produce(900, produced, async () => {
      await eventually(async () => expect((await rowsPerId(produced)).size).toBeGreaterThan(0));
      exitCode = alone.stop('SIGTERM');
    });
    expect(await exitCode).toBe(0);

    // Nobody consumes now. Below the committed offsets everything is projected; above, nothing is (no batch
    // written to the database and left uncommitted, none committed without being written).
    const committed = await committedOffsets(admin, groupId, eventsTopic());
    const rows = await rowsPerId(produced);
    const disagreements = produced.filter(
      (p) => p.position.offset < (committed.get(p.position.partition) ?? -1n) !== (rows.get(p.id) === 1),
    );
    expect(disagreements).toEqual([]);
    expect(rows.size).toBeGreaterThan(0);
  });
});
