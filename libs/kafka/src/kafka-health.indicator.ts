import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Admin, Kafka } from 'kafkajs';
import { KAFKA_CLIENT } from './kafka.options';
import { withTimeout } from './with-timeout';

/** Ready when the cluster answers a metadata request within 2 s. */
@Injectable()
export class KafkaHealthIndicator implements OnApplicationShutdown {
  private admin?: Admin;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicator.check(key);
    try {
      this.admin ??= this.kafka.admin();
      await withTimeout(
        this.admin.connect().then(() => this.admin?.describeCluster()),
        2000,
      );
      return indicator.up();
    } catch (error) {
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
