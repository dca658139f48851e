import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { ApiEnvelope, ApiErrors, LivenessResponse, ReadinessResponse } from '@app/http/openapi';
import { KafkaHealthIndicator } from '@app/kafka';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
  ) {}

  /** The process is up and its event loop turns; nothing else is checked (restart only if this fails). */
  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'The process is up (no dependency is checked)' })
  @ApiEnvelope(200, LivenessResponse, 'Alive')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to take work: PostgreSQL and Kafka both answer. */
  @Get('ready')
  @ApiOperation({ operationId: 'getReadiness', summary: 'PostgreSQL and Kafka both answer' })
  @ApiEnvelope(200, ReadinessResponse, 'Ready: every check is up')
  @ApiErrors({ SERVICE_UNAVAILABLE: 'PostgreSQL or Kafka does not answer' })
  // Documented above as it answers here (enveloped), not in terminus's own format.
  @HealthCheck({ swaggerDocumentation: false })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.kafka.check('kafka'),
    ]);
  }
}
