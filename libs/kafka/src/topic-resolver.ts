import { Inject, Injectable } from '@nestjs/common';
import { prefixedTopic, type TopicName } from '@app/contracts';
import { KAFKA_OPTIONS, type KafkaOptions } from './kafka.options';

/** Applies KAFKA_TOPIC_PREFIX: code names topics by contract name, the resolver gives the real one. */
@Injectable()
export class TopicResolver {
  constructor(@Inject(KAFKA_OPTIONS) private readonly options: KafkaOptions) {}

  name(topic: TopicName): string {
    return prefixedTopic(this.options.topicPrefix, topic);
  }
}
