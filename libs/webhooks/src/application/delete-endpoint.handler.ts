import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, metadataOf } from '../../../kernel/src/index.js';
import { decideAndAppend, EVENT_STORE, type EventStore } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { endpointDecider } from '../domain/endpoint.decider.js';
import { DeleteEndpointCommand } from './delete-endpoint.command.js';
import { endpointStream } from './endpoint-stream.js';
import { SECRET_VAULT, type SecretVault } from './secret-vault.port.js';

@CommandHandler(DeleteEndpointCommand)
export class DeleteEndpointHandler implements ICommandHandler<DeleteEndpointCommand, void> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SECRET_VAULT) private readonly vault: SecretVault,
  ) {}

  async execute(c: DeleteEndpointCommand): Promise<void> {
    const decision = await decideAndAppend(
      this.store,
      endpointStream(c.endpointId),
      endpointDecider,
      { type: 'DeleteEndpoint', workspaceId: c.workspaceId, now: this.clock.now() },
      metadataOf(c.context),
    );
    // Crypto-shredding: the history keeps the encrypted secrets, but nothing can decrypt them any more.
    await this.vault.destroy(c.endpointId);
    await this.sync.waitFor(decision.position);
  }
}
