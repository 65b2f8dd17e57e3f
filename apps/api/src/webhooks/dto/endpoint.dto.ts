import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsDisplayText } from '../../http/validators.js';
import type { ExistingEndpoint } from '../../../../../libs/webhooks/src/index.js';

export class CreateEndpointDto {
  @ApiProperty({ example: 'https://example.com/webhooks/whatsmine', maxLength: 2048 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({
    example: ['payment.succeeded', 'payment.failed'],
    description: 'Catalogue types, or ["*"] for all.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  events!: string[];

  @ApiPropertyOptional({ example: 'Billing system', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsDisplayText({ allowEmpty: true })
  description?: string;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks/v2' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ example: ['*'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  events?: string[];

  @ApiPropertyOptional({ example: 'Billing system (v2)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsDisplayText({ allowEmpty: true })
  description?: string;

  @ApiPropertyOptional({
    enum: ['enabled', 'disabled'],
    description: 'Disabling cancels pending deliveries; enabling does not re-send them (use recover).',
  })
  @IsOptional()
  @IsIn(['enabled', 'disabled'])
  status?: 'enabled' | 'disabled';
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    example: 86400000,
    description:
      'How long the previous secret keeps signing webhook-signature; default WEBHOOK_SECRET_OVERLAP_MS, 0 retires it at once.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600 * 1000)
  previousSecretExpiresInMs?: number;
}

export class TestDeliveryDto {
  @ApiPropertyOptional({
    example: 'payment.succeeded',
    description: 'Default webhook.test; any catalogue type sends its sample, marked "test": true.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  eventType?: string;
}

export class EndpointDto {
  @ApiProperty({ example: 'ep_01jf3k9v6x8q2m4n5p7r9s0t1u' })
  id!: string;
  @ApiProperty({ example: 'https://example.com/webhooks/whatsmine' })
  url!: string;
  @ApiProperty({ example: ['payment.succeeded'] })
  events!: string[];
  @ApiProperty({ example: 'Billing system' })
  description!: string;
  @ApiProperty({ enum: ['enabled', 'disabled'] })
  status!: 'enabled' | 'disabled';
  @ApiPropertyOptional({ enum: ['manual', 'gone'], description: '"gone": the subscriber answered 410.' })
  disabledReason?: 'manual' | 'gone';
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(e: ExistingEndpoint): EndpointDto {
    const dto = Object.assign(new EndpointDto(), {
      id: e.endpointId,
      url: e.url,
      events: e.events,
      description: e.description,
      status: e.status === 'disabled' ? 'disabled' : 'enabled',
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    });
    if (e.status === 'disabled' && e.disabledReason) dto.disabledReason = e.disabledReason;
    return dto;
  }
}

export class CreatedEndpointDto extends EndpointDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret. Reveal it again with GET …/secret.',
  })
  secret!: string;
}

export class EndpointPageDto {
  @ApiProperty({ type: [EndpointDto] })
  data!: EndpointDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class SecretDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Until then the previous secret also signs webhook-signature.',
  })
  previousSecretExpiresAt?: string | null;
}

export class EventTypeDto {
  @ApiProperty({ example: 'payment.succeeded' })
  type!: string;
  @ApiProperty({ example: 'A payment went through.' })
  description!: string;
}

export class DeliveryIdDto {
  @ApiProperty({ example: 'dlv_01jf3k9v6x8q2m4n5p7r9s0t1u' })
  deliveryId!: string;
}
