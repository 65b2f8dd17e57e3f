import type { Decider } from '../../../kernel/src/index.js';
import type { TokenEvent } from './token.events.js';
import type { TokenScope } from './token-scopes.js';
import type { TokenState } from './token.state.js';
import { expiryInThePast, tokenAlreadyExists, tokenAlreadyRevoked, tokenNotFound } from './token.errors.js';

export type TokenCommand =
  | {
      type: 'CreateToken';
      tokenId: string;
      workspaceId: string;
      userId: string;
      name: string;
      prefix: string;
      hash: string;
      scopes: TokenScope[];
      expiresAt: Date | null;
      now: Date;
    }
  | { type: 'RevokeToken'; tokenId: string; workspaceId: string; now: Date };

export const tokenDecider: Decider<TokenState, TokenCommand, TokenEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    switch (command.type) {
      case 'CreateToken': {
        if (state.status !== 'absent') throw tokenAlreadyExists();
        if (command.expiresAt && command.expiresAt <= command.now) throw expiryInThePast();
        return [
          {
            type: 'TokenCreated',
            data: {
              tokenId: command.tokenId,
              workspaceId: command.workspaceId,
              userId: command.userId,
              name: command.name,
              prefix: command.prefix,
              hash: command.hash,
              scopes: command.scopes,
              expiresAt: command.expiresAt?.toISOString() ?? null,
              createdAt: command.now.toISOString(),
            },
          },
        ];
      }
      case 'RevokeToken': {
        // Another workspace's token is indistinguishable from a missing one.
        if (state.status === 'absent' || state.workspaceId !== command.workspaceId) throw tokenNotFound();
        if (state.status === 'revoked') throw tokenAlreadyRevoked();
        return [
          {
            type: 'TokenRevoked',
            data: {
              tokenId: command.tokenId,
              workspaceId: command.workspaceId,
              revokedAt: command.now.toISOString(),
            },
          },
        ];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TokenCreated': {
        const { hash: _hash, ...rest } = event.data;
        return { status: 'active', ...rest, revokedAt: null };
      }
      case 'TokenRevoked':
        return state.status === 'absent'
          ? state
          : { ...state, status: 'revoked', revokedAt: event.data.revokedAt };
      default:
        return state;
    }
  },
};
