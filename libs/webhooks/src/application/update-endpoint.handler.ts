import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { CLOCK, type Clock, metadataOf } from '../../../kernel/src/index.js';
import { decideAndAppend, EVENT_STORE, type EventStore } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { endpointDecider } from '../domain/endpoint.decider.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';
import { endpointStream } from './endpoint-stream.js';
import { UpdateEndpointCommand } from './update-endpoint.command.js';
import { validateWebhookUrl } from './webhook-url.validator.js';

@CommandHandler(UpdateEndpointCommand)
export class UpdateEndpointHandler implements ICommandHandler<UpdateEndpointCommand, ExistingEndpoint> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(c: UpdateEndpointCommand): Promise<ExistingEndpoint> {
    const stream = endpointStream(c.endpointId);
    const changes = { ...c.changes };
    if (changes.url !== undefined)
      changes.url = await validateWebhookUrl(changes.url, this.config.webhooks.allowPrivateNetworks);
    const decision = await decideAndAppend(
      this.store,
      stream,
      endpointDecider,
      { type: 'UpdateEndpoint', workspaceId: c.workspaceId, changes, now: this.clock.now() },
      metadataOf(c.context),
    );
    await this.sync.waitFor(decision.position);
    return decision.state as ExistingEndpoint;
  }
}
