import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RecoverEndpointCommand, type RecoverResult } from '../../../../libs/webhooks/src/index.js';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { adminCommandContext } from '../http/command-context.js';
import { WorkspaceIdPipe } from '../http/workspace-id.pipe.js';
import { RecoverDto, RecoverResultDto } from './dto/recover.dto.js';

/** The support engineer's door to recovery (used by `npm run cli -- recover`). */
@ApiTags('admin')
@ApiBearerAuth('admin')
@AdminOnly()
@Controller('admin/v1/workspaces/:workspaceId/endpoints')
export class AdminRecoveryController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/recover')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Recover on behalf of a workspace: same as POST /api/v1/webhooks/endpoints/{id}/recover',
  })
  @ApiAcceptedResponse({ type: RecoverResultDto })
  @ApiErrors(400, 401, 404, 409)
  recover(
    @Param('workspaceId', WorkspaceIdPipe) workspaceId: string,
    @Param('id') id: string,
    @Body() body: RecoverDto,
  ): Promise<RecoverResult> {
    return this.commands.execute(
      new RecoverEndpointCommand(
        workspaceId,
        id,
        new Date(body.since),
        body.until ? new Date(body.until) : undefined,
        body.dryRun ?? false,
        adminCommandContext(workspaceId),
      ),
    );
  }
}
