/**
 * Topic names carry their schema version; KAFKA_TOPIC_PREFIX is prepended at runtime. Both topics are keyed by
 * customerId, so one customer's messages keep their order.
 */
export const TOPICS = {
  customerEvents: 'customer-events.v1',
  customerChanges: 'customer-changes.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export function prefixedTopic(prefix: string, topic: TopicName): string {
  return `${prefix}${topic}`;
}

export function dlqTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

/** Every topic the project creates, DLQs included, for a given prefix. */
export function allTopics(prefix: string): string[] {
  return Object.values(TOPICS).flatMap((topic) => {
    const name = prefixedTopic(prefix, topic);
    return [name, dlqTopicOf(name)];
  });
}
