import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublishEventCommand, type PublishResult } from '../../../../libs/webhooks/src/index.js';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { adminCommandContext } from '../http/command-context.js';
import { WorkspaceIdPipe } from '../http/workspace-id.pipe.js';
import { PublishedDto, PublishEventDto } from './dto/publish-event.dto.js';

@ApiTags('admin')
@ApiBearerAuth('admin')
@AdminOnly()
@Controller('admin/v1/workspaces/:workspaceId/events')
export class AdminEventsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish an event: one delivery per enabled endpoint of the workspace subscribed to its type',
    description:
      'data over MAX_EVENT_PAYLOAD_BYTES is 413. The same idempotencyKey within 24 h returns the first answer and delivers nothing new. ' +
      'Back-pressure: when this instance is CPU-bound and its fresh deliveries wait longer than WEBHOOK_BACKPRESSURE_TARGET_MS, ' +
      'the 202 is held (at most WEBHOOK_BACKPRESSURE_MAX_WAIT_MS) after the event has been accepted, so publishers that wait for answers slow down to the delivery rate.',
  })
  @ApiAcceptedResponse({ type: PublishedDto })
  @ApiErrors(400, 401, 413)
  publish(
    @Param('workspaceId', WorkspaceIdPipe) workspaceId: string,
    @Body() body: PublishEventDto,
  ): Promise<PublishResult> {
    return this.commands.execute(
      new PublishEventCommand(
        workspaceId,
        body.type,
        body.data,
        body.idempotencyKey,
        adminCommandContext(workspaceId),
      ),
    );
  }
}
