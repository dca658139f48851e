import { Injectable } from '@nestjs/common';
import { type CustomerEventMessage, TOPICS } from '@app/contracts';
import { KafkaPublisher, TopicResolver } from '@app/kafka';
import type { TraceContext } from '@app/observability/tracing';

/** Sends customer events to customer-events.v1 (key = customerId) and resolves only once acks=all is in. */
@Injectable()
export class CustomerEventPublisher {
  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly topics: TopicResolver,
  ) {}

  /**
   * All messages in one publish call, so a batch shares one produce round trip; each carries `trace`. A broker
   * that does not acknowledge rejects with BrokerUnavailableError, which the exception filter answers with a 503.
   */
  async publish(messages: CustomerEventMessage[], trace: TraceContext | undefined): Promise<void> {
    await this.publisher.publish(
      this.topics.name(TOPICS.customerEvents),
      messages.map((m) => ({ key: m.customerId, value: JSON.stringify(m) })),
      trace,
    );
  }
}
