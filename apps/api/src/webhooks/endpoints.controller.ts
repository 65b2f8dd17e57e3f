import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DEFAULT_PAGE_LIMIT, DomainError } from '../../../../libs/kernel/src/index.js';
import {
  DeleteEndpointCommand,
  EVENT_CATALOGUE,
  type ExistingEndpoint,
  RegisterEndpointCommand,
  RotateSecretCommand,
  SendTestDeliveryCommand,
  UpdateEndpointCommand,
  WebhookQueries,
} from '../../../../libs/webhooks/src/index.js';
import { RequireScopes } from '../auth/auth.decorators.js';
import type { TokenRequest } from '../auth/principal.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { requestCommandContext } from '../http/command-context.js';
import { PageQueryDto } from '../tokens/dto/list-query.dto.js';
import { DeliveryListQueryDto, DeliveryPageDto, DeliveryDto } from './dto/delivery.dto.js';
import {
  CreatedEndpointDto,
  CreateEndpointDto,
  DeliveryIdDto,
  EndpointDto,
  EndpointPageDto,
  EventTypeDto,
  RotateSecretDto,
  SecretDto,
  TestDeliveryDto,
  UpdateEndpointDto,
} from './dto/endpoint.dto.js';

@ApiTags('webhooks')
@ApiBearerAuth('token')
@Controller('api/v1/webhooks')
export class EndpointsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: WebhookQueries,
  ) {}

  @Get('event-types')
  @RequireScopes('webhooks:read')
  @ApiOperation({ summary: 'The event catalogue: every type an endpoint can subscribe to' })
  @ApiOkResponse({ type: [EventTypeDto] })
  @ApiErrors(401, 403)
  eventTypes(): EventTypeDto[] {
    return EVENT_CATALOGUE.map(({ type, description }) => ({ type, description }));
  }

  @Post('endpoints')
  @RequireScopes('webhooks:write')
  @ApiOperation({
    summary: 'Register an endpoint; the answer holds its signing secret',
    description:
      'The URL must be http(s), without credentials, and must not point at (or resolve to) a private, loopback or link-local address unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (422 otherwise).',
  })
  @ApiCreatedResponse({ type: CreatedEndpointDto })
  @ApiErrors(400, 401, 403, 422)
  async create(
    @Req() { user: p }: TokenRequest,
    @Body() body: CreateEndpointDto,
  ): Promise<CreatedEndpointDto> {
    const { endpoint, secret } = await this.commands.execute<
      RegisterEndpointCommand,
      { endpoint: ExistingEndpoint; secret: string }
    >(
      new RegisterEndpointCommand(
        p.workspaceId,
        body.url,
        body.events,
        body.description ?? '',
        requestCommandContext(p),
      ),
    );
    return Object.assign(new CreatedEndpointDto(), EndpointDto.from(endpoint), { secret });
  }

  @Get('endpoints')
  @RequireScopes('webhooks:read')
  @ApiOperation({ summary: "The workspace's endpoints (no secrets), newest first" })
  @ApiOkResponse({ type: EndpointPageDto })
  @ApiErrors(400, 401, 403)
  async list(@Req() { user: p }: TokenRequest, @Query() q: PageQueryDto): Promise<EndpointPageDto> {
    const page = await this.queries.listEndpoints(p.workspaceId, q.limit ?? DEFAULT_PAGE_LIMIT, q.cursor);
    return { data: page.data.map(EndpointDto.from), nextCursor: page.nextCursor };
  }

  @Get('endpoints/:id')
  @RequireScopes('webhooks:read')
  @ApiOperation({ summary: 'One endpoint' })
  @ApiOkResponse({ type: EndpointDto })
  @ApiErrors(401, 403, 404)
  async get(@Req() { user: p }: TokenRequest, @Param('id') id: string): Promise<EndpointDto> {
    return EndpointDto.from(await this.queries.endpoint(p.workspaceId, id));
  }

  @Patch('endpoints/:id')
  @RequireScopes('webhooks:write')
  @ApiOperation({
    summary: 'Change url, events, description or status (disabling cancels pending deliveries)',
  })
  @ApiOkResponse({ type: EndpointDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(
    @Req() { user: p }: TokenRequest,
    @Param('id') id: string,
    @Body() body: UpdateEndpointDto,
  ): Promise<EndpointDto> {
    if (Object.keys(body).length === 0) {
      throw new DomainError(
        'invalid',
        'Nothing to change: send at least one of url, events, description, status.',
        'empty_patch',
        [{ field: 'body', message: 'no field to change' }],
      );
    }
    const state = await this.commands.execute<UpdateEndpointCommand, ExistingEndpoint>(
      new UpdateEndpointCommand(p.workspaceId, id, body, requestCommandContext(p)),
    );
    return EndpointDto.from(state);
  }

  @Delete('endpoints/:id')
  @HttpCode(204)
  @RequireScopes('webhooks:write')
  @ApiOperation({
    summary: 'Delete an endpoint: pending retries end as cancelled, its secrets are crypto-shredded',
  })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404, 409)
  async remove(@Req() { user: p }: TokenRequest, @Param('id') id: string): Promise<void> {
    await this.commands.execute(new DeleteEndpointCommand(p.workspaceId, id, requestCommandContext(p)));
  }

  @Get('endpoints/:id/secret')
  @RequireScopes('webhooks:write')
  @ApiOperation({ summary: 'Reveal the current signing secret' })
  @ApiOkResponse({ type: SecretDto })
  @ApiErrors(401, 403, 404)
  async secret(@Req() { user: p }: TokenRequest, @Param('id') id: string): Promise<SecretDto> {
    const s = await this.queries.secret(p.workspaceId, id);
    return s.previousSecretExpiresAt ? s : { secret: s.secret };
  }

  @Post('endpoints/:id/rotate-secret')
  @HttpCode(200)
  @RequireScopes('webhooks:write')
  @ApiOperation({
    summary: 'Rotate the signing secret',
    description:
      'X-Signature-256 uses the new secret at once; webhook-signature carries signatures for the new and the previous secret until previousSecretExpiresAt.',
  })
  @ApiOkResponse({ type: SecretDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async rotate(
    @Req() { user: p }: TokenRequest,
    @Param('id') id: string,
    @Body() body: RotateSecretDto,
  ): Promise<SecretDto> {
    return this.commands.execute(
      new RotateSecretCommand(p.workspaceId, id, body.previousSecretExpiresInMs, requestCommandContext(p)),
    );
  }

  @Post('endpoints/:id/test')
  @HttpCode(202)
  @RequireScopes('webhooks:write')
  @ApiOperation({
    summary: 'Send one signed test delivery to this endpoint, through the normal delivery path',
  })
  @ApiAcceptedResponse({ type: DeliveryIdDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async test(
    @Req() { user: p }: TokenRequest,
    @Param('id') id: string,
    @Body() body: TestDeliveryDto,
  ): Promise<DeliveryIdDto> {
    const r = await this.commands.execute<SendTestDeliveryCommand, { deliveryId: string }>(
      new SendTestDeliveryCommand(p.workspaceId, id, body.eventType, requestCommandContext(p)),
    );
    return { deliveryId: r.deliveryId };
  }

  @Get('endpoints/:id/deliveries')
  @RequireScopes('webhooks:read')
  @ApiOperation({ summary: 'Delivery log of an endpoint, newest first, filterable by status and eventType' })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiErrors(400, 401, 403, 404)
  async deliveries(
    @Req() { user: p }: TokenRequest,
    @Param('id') id: string,
    @Query() q: DeliveryListQueryDto,
  ): Promise<DeliveryPageDto> {
    const page = await this.queries.deliveriesOf(p.workspaceId, id, {
      status: q.status,
      eventType: q.eventType,
      limit: q.limit ?? DEFAULT_PAGE_LIMIT,
      cursor: q.cursor,
    });
    return { data: page.data.map(DeliveryDto.from), nextCursor: page.nextCursor };
  }
}
