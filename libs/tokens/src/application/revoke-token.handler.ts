import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, isId, metadataOf } from '../../../kernel/src/index.js';
import { decideAndAppend, EVENT_STORE, type EventStore, streamName } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { tokenNotFound } from '../domain/token.errors.js';
import { tokenDecider } from '../domain/token.decider.js';
import { TOKEN_CATEGORY } from '../domain/token.events.js';
import { RevokeTokenCommand } from './revoke-token.command.js';

@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand, void> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RevokeTokenCommand): Promise<void> {
    if (!isId('tok', command.tokenId)) throw tokenNotFound();
    const decision = await decideAndAppend(
      this.store,
      streamName(TOKEN_CATEGORY, command.tokenId),
      tokenDecider,
      {
        type: 'RevokeToken',
        tokenId: command.tokenId,
        workspaceId: command.workspaceId,
        now: this.clock.now(),
      },
      metadataOf(command.context),
    );
    // The revocation must be effective for the very next request, which authenticates from the read model.
    await this.sync.waitFor(decision.position, 30_000);
  }
}
