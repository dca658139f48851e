import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsEmailAddress, IsOmittable, IsStorableText } from '@app/http';

export class PutCustomerDto {
  @ApiProperty({ example: 'peter@example.com' })
  @IsEmailAddress()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Peter Santos' })
  @IsString()
  @IsStorableText()
  @Length(1, 500)
  fullName!: string;

  @ApiPropertyOptional({ example: 'Peter', nullable: true })
  @IsOptional()
  @IsString()
  @IsStorableText()
  @Length(1, 200)
  shortName?: string | null;

  @ApiPropertyOptional({ example: false })
  // May be left out, not sent as null: null would be stored as isVerified: null.
  @IsOmittable()
  @IsBoolean()
  emailVerified?: boolean;
}
