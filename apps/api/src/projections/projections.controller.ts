import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '../../../../libs/event-store/src/index.js';
import { ReadModels } from '../../../../libs/read-store/src/index.js';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiErrors } from '../http/api-errors.decorator.js';

@ApiTags('audit')
@ApiBearerAuth('admin')
@AdminOnly()
@Controller('admin/v1/projections')
export class ProjectionsController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Each projection with its checkpoint and lag, the live read-model generation and the last rebuild',
  })
  @ApiOkResponse({
    schema: {
      example: {
        head: 1200,
        generation: 2,
        projections: [{ name: 'tokens', checkpoint: 1200, head: 1200, lag: 0, state: 'live' }],
        rebuild: {
          status: 'done',
          fromGeneration: 1,
          toGeneration: 2,
          processed: 1200,
          total: 1200,
          eventsPerSecond: 80000,
        },
      },
    },
  })
  @ApiErrors(401)
  async status() {
    const [head, s] = await Promise.all([this.store.headPosition(), this.readModels.status()]);
    return { head, ...s };
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild every read model from the full history',
    description:
      'Replays every event into a fresh generation of read models while the API keeps answering from the current one, then switches over. Webhooks are never re-sent: the delivery saga has its own checkpoint and only reacts to new events. Progress: GET /admin/v1/projections.',
  })
  @ApiAcceptedResponse({
    schema: { example: { status: 'running', fromGeneration: 1, toGeneration: 2, processed: 0, total: 1200 } },
  })
  @ApiErrors(401, 409)
  rebuild() {
    return this.readModels.startRebuild();
  }
}
