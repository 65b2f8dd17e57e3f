import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { CLOCK, type Clock, metadataOf, newId } from '../../../kernel/src/index.js';
import { decideAndAppend, EVENT_STORE, type EventStore, streamName } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { endpointDecider } from '../domain/endpoint.decider.js';
import { ENDPOINT_CATEGORY } from '../domain/endpoint.events.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';
import { generateWebhookSecret } from '../transport/webhook-secret.js';
import { RegisterEndpointCommand } from './register-endpoint.command.js';
import { SECRET_VAULT, type SecretVault } from './secret-vault.port.js';
import { validateWebhookUrl } from './webhook-url.validator.js';

@CommandHandler(RegisterEndpointCommand)
export class RegisterEndpointHandler implements ICommandHandler<
  RegisterEndpointCommand,
  { endpoint: ExistingEndpoint; secret: string }
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SECRET_VAULT) private readonly vault: SecretVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(c: RegisterEndpointCommand) {
    const url = await validateWebhookUrl(c.url, this.config.webhooks.allowPrivateNetworks);
    const now = this.clock.now();
    const endpointId = newId('ep', now.getTime());
    const secret = generateWebhookSecret();
    const decision = await decideAndAppend(
      this.store,
      streamName(ENDPOINT_CATEGORY, endpointId),
      endpointDecider,
      {
        type: 'RegisterEndpoint',
        endpointId,
        workspaceId: c.workspaceId,
        url,
        events: c.events,
        description: c.description,
        secret: await this.vault.encrypt(endpointId, secret),
        now,
      },
      metadataOf(c.context),
    );
    await this.sync.waitFor(decision.position);
    return { endpoint: decision.state as ExistingEndpoint, secret };
  }
}
