import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RecoverEndpointCommand, type RecoverResult } from '../../../../libs/webhooks/src/index.js';
import { RequireScopes } from '../auth/auth.decorators.js';
import type { TokenRequest } from '../auth/principal.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { requestCommandContext } from '../http/command-context.js';
import { RecoverDto, RecoverResultDto } from './dto/recover.dto.js';

@ApiTags('webhooks')
@ApiBearerAuth('token')
@Controller('api/v1/webhooks/endpoints')
export class EndpointRecoveryController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/recover')
  @HttpCode(202)
  @RequireScopes('webhooks:write')
  @ApiOperation({
    summary: 'Re-send what this endpoint missed in a window, computed from the event history',
    description:
      'Every published (non-test) event of the workspace in [since, until] that the endpoint subscribes to now and did not receive successfully — also events published while it was disabled — becomes a new delivery with the original event id, marked `recovered`. Deliveries are spaced 50 ms apart so a large recovery does not flood the endpoint. The endpoint must be enabled (409 otherwise); `dryRun` only counts.',
  })
  @ApiAcceptedResponse({ type: RecoverResultDto })
  @ApiErrors(400, 401, 403, 404, 409)
  recover(
    @Req() { user: p }: TokenRequest,
    @Param('id') id: string,
    @Body() body: RecoverDto,
  ): Promise<RecoverResult> {
    return this.commands.execute(
      new RecoverEndpointCommand(
        p.workspaceId,
        id,
        new Date(body.since),
        body.until ? new Date(body.until) : undefined,
        body.dryRun ?? false,
        requestCommandContext(p),
      ),
    );
  }
}
