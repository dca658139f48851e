import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import { KafkaHealthIndicator } from '@app/kafka';
import { metricsRegistry } from '@app/observability';

let probe: (() => Promise<boolean>) | undefined;

// Evaluated at scrape time, so an alert sees what /health/ready would answer right now.
if (!metricsRegistry.getSingleMetric('app_ready')) {
  new Gauge({
    name: 'app_ready',
    help: '1 when the app is ready (PostgreSQL and Kafka answer, as GET /health/ready checks), 0 otherwise',
    async collect() {
      this.set(probe ? Number(await probe().catch(() => false)) : 0);
    },
  });
}

/** Feeds `app_ready` from the same checks as the readiness endpoint. */
@Injectable()
export class ReadinessMetric implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
  ) {}

  onModuleInit(): void {
    probe = () => this.isReady();
  }

  onModuleDestroy(): void {
    probe = undefined;
  }

  private async isReady(): Promise<boolean> {
    const [database, kafka] = await Promise.all([
      this.database.pingCheck('database', { timeout: 2000 }),
      this.kafka.check('kafka'),
    ]);
    return database.database?.status === 'up' && kafka.kafka?.status === 'up';
  }
}
