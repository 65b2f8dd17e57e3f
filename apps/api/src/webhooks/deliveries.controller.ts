import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RetryDeliveryCommand, WebhookQueries } from '../../../../libs/webhooks/src/index.js';
import { RequireScopes } from '../auth/auth.decorators.js';
import type { TokenRequest } from '../auth/principal.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { requestCommandContext } from '../http/command-context.js';
import { DeliveryWithAttemptsDto } from './dto/delivery.dto.js';
import { DeliveryIdDto } from './dto/endpoint.dto.js';

@ApiTags('webhooks')
@ApiBearerAuth('token')
@Controller('api/v1/webhooks/deliveries')
export class DeliveriesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: WebhookQueries,
  ) {}

  @Get(':id')
  @RequireScopes('webhooks:read')
  @ApiOperation({ summary: 'One delivery with every attempt' })
  @ApiOkResponse({ type: DeliveryWithAttemptsDto })
  @ApiErrors(401, 403, 404)
  async get(@Req() { user: p }: TokenRequest, @Param('id') id: string): Promise<DeliveryWithAttemptsDto> {
    return DeliveryWithAttemptsDto.withAttempts(await this.queries.delivery(p.workspaceId, id));
  }

  @Post(':id/retry')
  @HttpCode(202)
  @RequireScopes('webhooks:write')
  @ApiOperation({
    summary: 'Send again now, as a new attempt of the same delivery',
    description:
      'A pending delivery is attempted now and keeps its retry schedule; a succeeded or failed one gets exactly one more attempt (no automatic retries after it). A cancelled delivery cannot be retried (409).',
  })
  @ApiAcceptedResponse({ type: DeliveryIdDto })
  @ApiErrors(401, 403, 404, 409)
  async retry(@Req() { user: p }: TokenRequest, @Param('id') id: string): Promise<DeliveryIdDto> {
    await this.queries.delivery(p.workspaceId, id);
    await this.commands.execute(new RetryDeliveryCommand(p.workspaceId, id, requestCommandContext(p)));
    return { deliveryId: id };
  }
}
