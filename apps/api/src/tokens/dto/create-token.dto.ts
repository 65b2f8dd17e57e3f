import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimestamp } from '../../http/is-timestamp.decorator.js';
import { IsDisplayText } from '../../http/validators.js';
import { ArrayUnique, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { TOKEN_SCOPES, type TokenScope } from '../../../../../libs/tokens/src/index.js';

export class CreateTokenDto {
  @ApiProperty({ example: 'Zapier integration', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsDisplayText()
  name!: string;

  @ApiPropertyOptional({
    enum: TOKEN_SCOPES,
    isArray: true,
    description:
      "Defaults to all four scopes (for API callers: the caller's own scopes, which the new token cannot exceed).",
    example: ['tokens:read', 'webhooks:read'],
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(TOKEN_SCOPES, { each: true })
  scopes?: TokenScope[];

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-01-01T00:00:00.000Z',
    description: 'Must be in the future.',
  })
  @IsOptional()
  @IsTimestamp()
  expiresAt?: string;
}

export class AdminCreateTokenDto extends CreateTokenDto {
  @ApiProperty({ example: 'user_42', description: 'The platform user the token acts for.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsDisplayText()
  userId!: string;
}
