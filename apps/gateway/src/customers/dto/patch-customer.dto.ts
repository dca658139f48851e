import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { IsEmailAddress, IsStorableText } from '@app/http';

/** Fields left out stay as they are; only shortName may be set to null. */
export class PatchCustomerDto {
  @ApiPropertyOptional({ example: 'peter@example.com' })
  @ValidateIf((o: PatchCustomerDto) => o.email !== undefined)
  @IsEmailAddress()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: 'Peter Santos' })
  @ValidateIf((o: PatchCustomerDto) => o.fullName !== undefined)
  @IsString()
  @IsStorableText()
  @Length(1, 500)
  fullName?: string;

  @ApiPropertyOptional({ example: 'Peter', nullable: true })
  @IsOptional()
  @IsString()
  @IsStorableText()
  @Length(1, 200)
  shortName?: string | null;

  @ApiPropertyOptional({ example: true })
  @ValidateIf((o: PatchCustomerDto) => o.emailVerified !== undefined)
  @IsBoolean()
  emailVerified?: boolean;
}
