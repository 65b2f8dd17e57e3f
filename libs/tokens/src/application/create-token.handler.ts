import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, metadataOf, newId } from '../../../kernel/src/index.js';
import { decideAndAppend, EVENT_STORE, type EventStore, streamName } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { generateToken, hashToken, tokenDisplayPrefix } from '../domain/token-format.js';
import { normalizeScopes } from '../domain/token-scopes.js';
import { tokenDecider } from '../domain/token.decider.js';
import { TOKEN_CATEGORY } from '../domain/token.events.js';
import type { TokenState } from '../domain/token.state.js';
import { CreateTokenCommand } from './create-token.command.js';

export interface CreatedToken {
  /** The plaintext: returned to the caller once and then forgotten. */
  token: string;
  state: Exclude<TokenState, { status: 'absent' }>;
}

@CommandHandler(CreateTokenCommand)
export class CreateTokenHandler implements ICommandHandler<CreateTokenCommand, CreatedToken> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: CreateTokenCommand): Promise<CreatedToken> {
    const now = this.clock.now();
    const tokenId = newId('tok', now.getTime());
    const token = generateToken();
    const decision = await decideAndAppend(
      this.store,
      streamName(TOKEN_CATEGORY, tokenId),
      tokenDecider,
      {
        type: 'CreateToken',
        tokenId,
        workspaceId: command.workspaceId,
        userId: command.userId,
        name: command.name,
        prefix: tokenDisplayPrefix(token),
        hash: hashToken(token),
        scopes: normalizeScopes(command.scopes),
        expiresAt: command.expiresAt,
        now,
      },
      metadataOf(command.context),
    );
    await this.sync.waitFor(decision.position);
    return { token, state: decision.state as CreatedToken['state'] };
  }
}
