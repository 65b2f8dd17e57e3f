import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { CLOCK, type Clock, metadataOf } from '../../../kernel/src/index.js';
import { decideAndAppend, EVENT_STORE, type EventStore } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { endpointDecider } from '../domain/endpoint.decider.js';
import { endpointNotFound } from '../domain/endpoint.errors.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';
import { generateWebhookSecret } from '../transport/webhook-secret.js';
import { endpointStream } from './endpoint-stream.js';
import { RotateSecretCommand } from './rotate-secret.command.js';
import { EndpointKeyDestroyedError, SECRET_VAULT, type SecretVault } from './secret-vault.port.js';

@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler implements ICommandHandler<
  RotateSecretCommand,
  { secret: string; previousSecretExpiresAt: string | null }
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SECRET_VAULT) private readonly vault: SecretVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(c: RotateSecretCommand) {
    const stream = endpointStream(c.endpointId);
    const secret = generateWebhookSecret();
    const encrypted = await this.vault.encrypt(c.endpointId, secret).catch((error: unknown) => {
      // Its key goes with a deleted endpoint (crypto-shredding): for the caller, the endpoint is gone.
      throw error instanceof EndpointKeyDestroyedError ? endpointNotFound() : error;
    });
    const decision = await decideAndAppend(
      this.store,
      stream,
      endpointDecider,
      {
        type: 'RotateSecret',
        workspaceId: c.workspaceId,
        secret: encrypted,
        previousSecretExpiresInMs: c.previousSecretExpiresInMs ?? this.config.webhooks.secretOverlapMs,
        now: this.clock.now(),
      },
      metadataOf(c.context),
    );
    await this.sync.waitFor(decision.position);
    const state = decision.state as ExistingEndpoint;
    return { secret, previousSecretExpiresAt: state.secrets.previous?.expiresAt ?? null };
  }
}
