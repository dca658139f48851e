import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { IsStorableText, QueryInteger } from '@app/http';

export const MAX_SEARCH_RESULTS = 20;

export class CustomerSearchQueryDto {
  @ApiProperty({
    example: 'ada@',
    minLength: 2,
    maxLength: 200,
    description: 'Part of an email, full name, short name or externalId (any case)',
  })
  @IsString()
  @Length(2, 200, { message: 'query must be 2 to 200 characters' })
  @IsStorableText()
  query!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SEARCH_RESULTS, default: 10 })
  @QueryInteger()
  @IsInt({ message: `limit must be an integer from 1 to ${MAX_SEARCH_RESULTS}` })
  @Min(1)
  @Max(MAX_SEARCH_RESULTS)
  limit: number = 10;
}
