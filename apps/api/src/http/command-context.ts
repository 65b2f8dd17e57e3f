import type { CommandContext } from '../../../../libs/kernel/src/index.js';
import { currentRequestId } from '../../../../libs/logging/src/index.js';
import type { TokenPrincipal } from '../auth/principal.js';

/** The acting token and the request id become the metadata of the events a command appends. */
export function requestCommandContext(p: TokenPrincipal): CommandContext {
  return {
    actor: { type: 'token', id: p.tokenId, workspaceId: p.workspaceId, userId: p.userId },
    correlationId: currentRequestId(),
  };
}

export function adminCommandContext(workspaceId?: string): CommandContext {
  return {
    actor: { type: 'admin', ...(workspaceId ? { workspaceId } : {}) },
    correlationId: currentRequestId(),
  };
}
