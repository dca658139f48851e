import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { ExternalIdPipe } from '@app/http';
import { ApiEnvelope, ApiErrors, COMMON_ERRORS } from '@app/http/openapi';
import { TimelinePageResponse } from './dto/timeline-page.response';
import { TimelineQueryDto } from './dto/timeline-query.dto';
import { TimelineTypesResponse } from './dto/timeline-types.response';
import { TimelineService } from './timeline.service';

@ApiTags('timeline')
@ApiSecurity('api-key')
@Controller('customers/:externalId/timeline')
@UseGuards(ApiKeyGuard)
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  @ApiOperation({
    operationId: 'getTimeline',
    summary: "A customer's timeline, newest first, keyset-paginated",
  })
  @ApiEnvelope(200, TimelinePageResponse, 'A page of timeline items')
  @ApiErrors({
    ...COMMON_ERRORS,
    CUSTOMER_NOT_FOUND: 'no customer with this externalId in this workspace (as the read models know it)',
  })
  page(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
    @Query() query: TimelineQueryDto,
  ): Promise<TimelinePageResponse> {
    return this.timeline.page(auth, externalId, query);
  }

  @Get('types')
  @ApiOperation({
    operationId: 'getTimelineTypes',
    summary: "How many items of each type a customer's timeline holds, most frequent first",
  })
  @ApiEnvelope(200, TimelineTypesResponse, 'The types and their counts')
  @ApiErrors({
    ...COMMON_ERRORS,
    CUSTOMER_NOT_FOUND: 'no customer with this externalId in this workspace (as the read models know it)',
  })
  types(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
  ): Promise<TimelineTypesResponse> {
    return this.timeline.types(auth, externalId);
  }
}
