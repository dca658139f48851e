import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';

export class PutCustomerDto {
  @ApiProperty({ example: 'peter@example.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Peter Santos' })
  @IsString()
  @Length(1, 500)
  fullName!: string;

  @ApiPropertyOptional({ example: 'Peter', nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  shortName?: string | null;

  @ApiPropertyOptional({ example: false })
  // May be left out, not sent as null: IsOptional would let null through and store isVerified: null.
  @ValidateIf((o: PutCustomerDto) => o.emailVerified !== undefined)
  @IsBoolean()
  emailVerified?: boolean;
}
