import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { decodeCursor, type Page } from '../../../kernel/src/index.js';
import { TOKEN_READ_REPOSITORY, type TokenReadRepository } from '../read-models/token-read.repository.js';
import type { TokenView } from '../read-models/token.read-model.js';
import { ListTokensQuery } from './list-tokens.query.js';

@QueryHandler(ListTokensQuery)
export class ListTokensHandler implements IQueryHandler<ListTokensQuery, Page<TokenView>> {
  constructor(@Inject(TOKEN_READ_REPOSITORY) private readonly tokens: TokenReadRepository) {}

  execute(query: ListTokensQuery): Promise<Page<TokenView>> {
    return this.tokens.list({
      workspaceId: query.workspaceId,
      limit: query.limit,
      cursor: decodeCursor(query.cursor),
      includeRevoked: query.includeRevoked,
    });
  }
}
