import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A query parameter that is a whole number: digits become a number, anything else is left for @IsInt to refuse. */
export function QueryInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  );
}

/**
 * The query of a keyset-paginated list: `limit` (1–200, 50 by default) and `cursor` (the previous page's
 * nextCursor, at most `maxCursorLength` characters: a list's cursors have a known size). A list's own filters
 * extend it.
 */
export function PageQuery(maxCursorLength: number) {
  class PageQueryDto {
    @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
    @IsOptional()
    @QueryInteger()
    @IsInt({ message: 'limit must be an integer from 1 to 200' })
    @Min(1)
    @Max(200)
    limit: number = 50;

    @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
    @IsOptional()
    @IsString()
    @MaxLength(maxCursorLength)
    cursor?: string;
  }
  return PageQueryDto;
}
