import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimestamp } from '../http/is-timestamp.decorator.js';
import { ToInt } from '../http/validators.js';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class AuditEventsQueryDto {
  @ApiPropertyOptional({
    description: "Exclusive store position to start after (the previous page's nextCursor).",
    example: '0',
  })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ example: 'SecretRotated' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({ example: 'endpoint-ep_01jf3k9v6x8q2m4n5p7r9s0t1u' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({ example: 'ws_1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  workspaceId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({
    enum: ['json', 'ndjson'],
    description: 'ndjson streams every matching event (no paging), one JSON object per line.',
  })
  @IsOptional()
  @IsIn(['json', 'ndjson'])
  format?: 'json' | 'ndjson';
}

export class AuditStreamQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Adds `state`: the aggregate folded from its events up to this instant.',
  })
  @IsOptional()
  @IsTimestamp()
  asOf?: string;
}
