import { Controller, Get, Headers, Param, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { ExternalIdPipe } from '@app/http';
import { ApiErrors, COMMON_ERRORS } from '@app/http/openapi';
import { LiveTimelineService } from './live-timeline.service';
import { SseResponse } from './sse-response';

@ApiTags('timeline')
@ApiSecurity('api-key')
@Controller('customers/:externalId/timeline/stream')
@UseGuards(ApiKeyGuard)
export class LiveTimelineController {
  constructor(private readonly live: LiveTimelineService) {}

  @Get()
  @ApiOperation({
    operationId: 'streamTimeline',
    summary: "A customer's new timeline items as Server-Sent Events",
    description:
      '`ready` once listening, then one `item` event per item that lands (its data is a timeline item). ' +
      'Reconnect with `Last-Event-ID` to resume after the last event received.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream (not enveloped)', schema: { type: 'string' } })
  @ApiErrors({ ...COMMON_ERRORS, CUSTOMER_NOT_FOUND: 'no customer with this externalId in this workspace' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received' })
  stream(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.live.open(auth, externalId, lastEventId, () => SseResponse.start(reply));
  }
}
