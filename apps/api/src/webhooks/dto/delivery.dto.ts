import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { AttemptRecord, DeliveryView } from '../../../../../libs/webhooks/src/index.js';
import { PageQueryDto } from '../../tokens/dto/list-query.dto.js';

const STATUSES = ['pending', 'succeeded', 'failed', 'cancelled'] as const;

export class DeliveryListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ example: 'payment.succeeded' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  eventType?: string;
}

export class AttemptDto {
  @ApiProperty({ example: 1 }) attempt!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ example: 42 }) durationMs!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'As sent; signatures, never secrets.',
  })
  requestHeaders!: Record<string, string>;
  @ApiProperty({ type: Number, nullable: true, example: 200 }) responseStatus!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true })
  responseHeaders!: Record<string, string> | null;
  @ApiProperty({ type: String, nullable: true, description: 'The first WEBHOOK_RESPONSE_BODY_LIMIT bytes.' })
  responseBody!: string | null;
  @ApiProperty() responseBodyTruncated!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'timeout',
    description: 'timeout, connection refused, redirect not followed, …',
  })
  error!: string | null;
}

export class DeliveryDto {
  @ApiProperty({ example: 'dlv_01jf3k9v6x8q2m4n5p7r9s0t1u' }) id!: string;
  @ApiProperty({ example: 'ep_01jf3k9v6x8q2m4n5p7r9s0t1u' }) endpointId!: string;
  @ApiProperty({ example: 'evt_01jf3k9v6x8q2m4n5p7r9s0t1u' }) eventId!: string;
  @ApiProperty({ example: 'payment.succeeded' }) eventType!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ example: 1 }) attemptCount!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ description: 'A test delivery.' }) test?: boolean;
  @ApiPropertyOptional({ description: 'Re-sent by recover.' }) recovered?: boolean;

  static from(d: DeliveryView): DeliveryDto {
    return Object.assign(new DeliveryDto(), {
      id: d.deliveryId,
      endpointId: d.endpointId,
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attemptCount: d.attemptCount,
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      test: d.test,
      recovered: d.recovered,
    });
  }
}

export class DeliveryWithAttemptsDto extends DeliveryDto {
  @ApiProperty({ type: [AttemptDto] }) attempts!: AttemptDto[];

  static withAttempts(d: DeliveryView & { attempts: AttemptRecord[] }): DeliveryWithAttemptsDto {
    return Object.assign(new DeliveryWithAttemptsDto(), DeliveryDto.from(d), { attempts: d.attempts });
  }
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) data!: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
