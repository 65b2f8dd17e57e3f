import type { CreatedToken } from '../../../../libs/tokens/src/index.js';
import { CreatedTokenDto } from './dto/token.response.js';

export function toCreatedTokenDto(created: CreatedToken): CreatedTokenDto {
  const s = created.state;
  return Object.assign(new CreatedTokenDto(), {
    id: s.tokenId,
    name: s.name,
    token: created.token,
    prefix: s.prefix,
    scopes: s.scopes,
    workspaceId: s.workspaceId,
    userId: s.userId,
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
  });
}
