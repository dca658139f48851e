import { Injectable } from '@nestjs/common';
import { type CustomerEventMessage, TOPICS } from '@app/contracts';
import { ServiceUnavailableError } from '@app/http';
import { BrokerUnavailableError, KafkaPublisher, TopicResolver } from '@app/kafka';

/** Sends customer events to customer-events.v1 (key = customerId) and resolves only once acks=all is in. */
@Injectable()
export class CustomerEventPublisher {
  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly topics: TopicResolver,
  ) {}

  /** All messages in one publish call, so a batch shares one produce round trip. */
  async publish(messages: CustomerEventMessage[]): Promise<void> {
    try {
      await this.publisher.publish(
        this.topics.name(TOPICS.customerEvents),
        messages.map((m) => ({ key: m.customerId, value: JSON.stringify(m) })),
      );
    } catch (error) {
      if (error instanceof BrokerUnavailableError) {
        throw new ServiceUnavailableError('Kafka is unavailable; the event was not accepted, retry later');
      }
      throw error;
    }
  }
}
