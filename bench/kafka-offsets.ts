import type { Infra } from './infra';
import { kafkaClient } from './infra';

/** Sum of the high watermarks of a topic's partitions: how many messages it holds since creation. */
export async function messagesIn(infra: Infra, topic: string): Promise<number> {
  const admin = kafkaClient(infra, 'bench-offsets').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Watches a consumer group: has it committed offsets up to every partition's high watermark? */
export class GroupProgress {
  private readonly admin;

  constructor(
    infra: Infra,
    private readonly groupId: string,
    private readonly topic: string,
  ) {
    this.admin = kafkaClient(infra, 'bench-progress').admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  /** Messages not yet committed by the group (high watermark minus committed offset, summed). */
  async remaining(): Promise<number> {
    const [high, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(this.topic),
      this.admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] }),
    ]);
    const done = new Map(
      committed.flatMap((t) => t.partitions).map((p) => [p.partition, Math.max(0, Number(p.offset))]),
    );
    return high.reduce((sum, p) => sum + Math.max(0, Number(p.high) - (done.get(p.partition) ?? 0)), 0);
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
}
