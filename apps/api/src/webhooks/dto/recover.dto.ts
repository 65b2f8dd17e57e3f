import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimestamp } from '../../http/is-timestamp.decorator.js';
import { IsBoolean, IsOptional } from 'class-validator';

export class RecoverDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-12-01T00:00:00.000Z',
    description: 'Start of the window (inclusive), by event time.',
  })
  @IsTimestamp()
  since!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the window (inclusive); default now.' })
  @IsOptional()
  @IsTimestamp()
  until?: string;

  @ApiPropertyOptional({ default: false, description: 'Only count; send nothing.' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class RecoverResultDto {
  @ApiProperty({ example: 3 }) count!: number;
  @ApiProperty({ example: ['dlv_01jf3k9v6x8q2m4n5p7r9s0t1u'], description: 'Empty for a dry run.' })
  deliveryIds!: string[];
}
