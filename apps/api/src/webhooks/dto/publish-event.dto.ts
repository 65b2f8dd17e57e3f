import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class PublishEventDto {
  @ApiProperty({ example: 'payment.succeeded' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { paymentId: 'pay_1', amount: 4200, currency: 'EUR' },
  })
  @IsObject()
  data!: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'order-1234-paid',
    description: 'Same key within 24 h: the first answer again, nothing new delivered.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'idempotencyKey must be printable ASCII without spaces' })
  idempotencyKey?: string;
}

export class PublishedDto {
  @ApiProperty({ example: 'evt_01jf3k9v6x8q2m4n5p7r9s0t1u' }) eventId!: string;
  @ApiProperty({ example: ['dlv_01jf3k9v6x8q2m4n5p7r9s0t1u'] }) deliveryIds!: string[];
}
