import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@app/auth';
import { APP_CONFIG, type ProjectorEnv } from '@app/config';
import { CursorSigner, CustomerNotFoundError, toUtcIso } from '@app/http';
import { DirectoryRepository } from '../directory';
import type { TimelinePageResponse } from './dto/timeline-page.response';
import type { TimelineQueryDto } from './dto/timeline-query.dto';
import type { TimelineTypesResponse } from './dto/timeline-types.response';
import { fitPage } from './page-budget';
import { decodeCursor, encodeCursor, type TimelineScope } from './timeline-cursor';
import { TimelineTypesRepository } from './timeline-types.repository';
import { TimelineRepository } from './timeline.repository';

@Injectable()
export class TimelineService {
  private readonly pageMaxBytes: number;

  constructor(
    private readonly directory: DirectoryRepository,
    private readonly timeline: TimelineRepository,
    private readonly typeCounts: TimelineTypesRepository,
    private readonly cursors: CursorSigner,
    @Inject(APP_CONFIG) config: ProjectorEnv,
  ) {
    this.pageMaxBytes = config.TIMELINE_PAGE_MAX_BYTES;
  }

  page(auth: AuthContext, externalId: string, query: TimelineQueryDto): Promise<TimelinePageResponse> {
    return this.read(auth, externalId, query);
  }

  async types(auth: AuthContext, externalId: string): Promise<TimelineTypesResponse> {
    const entry = await this.directory.findByExternalId(auth.workspaceId, externalId);
    if (!entry) throw new CustomerNotFoundError(externalId, 'externalId');
    return { items: await this.typeCounts.counts(auth.workspaceId, entry.customerId) };
  }

  private async read(
    auth: AuthContext,
    externalId: string,
    query: TimelineQueryDto,
  ): Promise<TimelinePageResponse> {
    const scope: TimelineScope = {
      externalId,
      types: query.types,
      excludeTypes: query.excludeTypes,
      from: query.from ? toUtcIso(query.from) : undefined,
      to: query.to ? toUtcIso(query.to) : undefined,
    };
    const after = query.cursor ? decodeCursor(this.cursors, query.cursor, scope) : undefined;
    // One extra row tells whether another page exists without a count query.
    const rows = await this.timeline.page({
      workspaceId: auth.workspaceId,
      externalId,
      limit: query.limit + 1,
      after,
      types: scope.types,
      excludeTypes: scope.excludeTypes,
      from: scope.from,
      to: scope.to,
    });
    if (!rows) throw new CustomerNotFoundError(externalId, 'externalId');
    const { items, hasMore } = fitPage(rows, query.limit, this.pageMaxBytes);
    const last = items[items.length - 1];
    return { items, hasMore, nextCursor: hasMore && last ? encodeCursor(this.cursors, last, scope) : null };
  }
}
