import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProjectionLagMonitor } from './projection-lag.monitor';

export const PROJECTION_LAG_HEADER = 'X-Projection-Lag-Ms';

/**
 * Runs before the guard and the handler, so every timeline response carries the header, errors included
 * (Fastify merges headers already set on the raw response into the ones it sends).
 */
@Injectable()
export class ProjectionLagHeaderMiddleware implements NestMiddleware {
  constructor(private readonly monitor: ProjectionLagMonitor) {}

  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    response.setHeader(PROJECTION_LAG_HEADER, String(this.monitor.lagMs()));
    next();
  }
}
