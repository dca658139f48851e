import { PageQuery } from '@app/http';

/** A page of targets or deliveries: their id cursors are well under 200 characters. */
export class PageQueryDto extends PageQuery(200) {}
