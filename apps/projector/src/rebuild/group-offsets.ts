import type { Admin } from 'kafkajs';

/** Per topic and partition: the offset a consumer group must have committed to have read everything. */
export type OffsetTargets = Map<string, Map<number, { high: bigint; low: bigint }>>;

/** High watermarks now: every message produced so far lies below them. */
export async function highWatermarks(admin: Admin, topics: string[]): Promise<OffsetTargets> {
  const targets: OffsetTargets = new Map();
  for (const topic of topics) {
    const partitions = await admin.fetchTopicOffsets(topic);
    targets.set(
      topic,
      new Map(partitions.map((p) => [p.partition, { high: BigInt(p.high), low: BigInt(p.low) }])),
    );
  }
  return targets;
}

/** How many messages below the targets the group has not committed yet (0: it has read up to them). */
export async function messagesLeft(admin: Admin, groupId: string, targets: OffsetTargets): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...targets.keys()] });
  let left = 0n;
  for (const [topic, partitions] of targets) {
    const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const [partition, { high, low }] of partitions) {
      const offset = BigInt(offsets.find((p) => p.partition === partition)?.offset ?? -1);
      const next = offset < low ? low : offset;
      if (high > next) left += high - next;
    }
  }
  return Number(left);
}
