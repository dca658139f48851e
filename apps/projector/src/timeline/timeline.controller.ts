import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, Auth, type AuthContext } from '@app/auth';
import { ExternalIdPipe } from '@app/http';
import { ApiRoute, COMMON_ERRORS } from '@app/http/openapi';
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
  @ApiRoute({
    operationId: 'getTimeline',
    summary: "A customer's timeline, newest first, keyset-paginated",
    ok: [200, TimelinePageResponse, 'A page of timeline items'],
    errors: {
      ...COMMON_ERRORS,
      CUSTOMER_NOT_FOUND: 'no customer with this externalId in this workspace (as the read models know it)',
    },
  })
  page(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
    @Query() query: TimelineQueryDto,
  ): Promise<TimelinePageResponse> {
    return this.timeline.page(auth, externalId, query);
  }

  @Get('types')
  @ApiRoute({
    operationId: 'getTimelineTypes',
    summary: "How many items of each type a customer's timeline holds, most frequent first",
    ok: [200, TimelineTypesResponse, 'The types and their counts'],
    errors: {
      ...COMMON_ERRORS,
      CUSTOMER_NOT_FOUND: 'no customer with this externalId in this workspace (as the read models know it)',
    },
  })
  types(
    @Auth() auth: AuthContext,
    @Param('externalId', ExternalIdPipe) externalId: string,
  ): Promise<TimelineTypesResponse> {
    return this.timeline.types(auth, externalId);
  }
}
