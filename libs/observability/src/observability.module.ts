import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@app/kafka';
import { collectDefaultMetrics } from 'prom-client';
import { HealthController } from './health.controller';
import { LoggingModule, type LoggingOptions } from './logger.module';
import { MetricsController } from './metrics.controller';
import { metricsRegistry } from './metrics';
import { ReadinessMetric } from './readiness.metric';

/** JSON logs, /metrics and /health/{live,ready} for an app. Needs KafkaModule and DatabaseModule imported. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    // Every series, the apps' own included, names its app: one Prometheus job may scrape all three.
    metricsRegistry.setDefaultLabels({ service: options.service });
    if (!metricsRegistry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
    return {
      module: ObservabilityModule,
      imports: [LoggingModule.forRoot(options), TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [KafkaHealthIndicator, ReadinessMetric],
    };
  }
}
