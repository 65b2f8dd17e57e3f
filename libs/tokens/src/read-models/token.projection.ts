import type { RecordedEvent } from '../../../kernel/src/index.js';
import type { Projection } from '../../../read-store/src/projection.js';
import { TOKEN_EVENT_TYPES, type TokenEvent } from '../domain/token.events.js';
import type { TokenReadRepository } from './token-read.repository.js';

export class TokenProjection implements Projection {
  readonly name = 'tokens';
  readonly handles = TOKEN_EVENT_TYPES;

  constructor(private readonly repository: TokenReadRepository) {}

  async apply(recorded: RecordedEvent): Promise<void> {
    const event = recorded as unknown as TokenEvent;
    switch (event.type) {
      case 'TokenCreated':
        return this.repository.applyCreated(event.data, recorded.revision);
      case 'TokenRevoked':
        return this.repository.applyRevoked(event.data.tokenId, event.data.revokedAt, recorded.revision);
    }
  }
}
