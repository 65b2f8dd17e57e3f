import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '../../../../libs/event-store/src/index.js';
import { READ_STORE_HEALTH, type ReadStoreHealth } from '../../../../libs/read-store/src/index.js';
import { Public } from '../auth/auth.decorators.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE_HEALTH) private readonly readStore: ReadStoreHealth,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: 200 when the event store and the read store answer, else 503' })
  @ApiOkResponse({ schema: { example: { status: 'ok', eventStore: 'up', readStore: 'up' } } })
  @ApiServiceUnavailableResponse({ description: 'A store does not answer' })
  async ready() {
    const [eventStore, readStore] = await Promise.all([
      this.store.ping().catch(() => false),
      this.readStore.ping().catch(() => false),
    ]);
    const body = {
      status: eventStore && readStore ? 'ok' : 'unavailable',
      eventStore: eventStore ? 'up' : 'down',
      readStore: readStore ? 'up' : 'down',
    };
    if (!eventStore || !readStore)
      throw new ServiceUnavailableException(
        `Not ready: event store ${body.eventStore}, read store ${body.readStore}.`,
      );
    return body;
  }
}
