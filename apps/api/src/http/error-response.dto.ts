import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'Invalid request: check name.' })
  message!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    example: [{ field: 'name', message: 'name must be a string' }],
  })
  details?: unknown[];
}
