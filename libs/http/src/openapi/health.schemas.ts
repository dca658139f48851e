import { ApiProperty } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

const CHECKS = {
  type: 'object' as const,
  additionalProperties: {
    type: 'object' as const,
    properties: { status: { type: 'string' as const, enum: ['up', 'down'] } },
    required: ['status'],
  },
  example: { database: { status: 'up' }, kafka: { status: 'up' } },
};

/** @nestjs/terminus's health check result, as GET /health/ready answers it in `data`. */
export class ReadinessResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ ...CHECKS, description: 'The checks that passed' })
  info!: Record<string, { status: string }>;

  @ApiProperty({ ...CHECKS, description: 'The checks that failed', example: {} })
  error!: Record<string, { status: string }>;

  @ApiProperty({ ...CHECKS, description: 'Every check' })
  details!: Record<string, { status: string }>;
}
