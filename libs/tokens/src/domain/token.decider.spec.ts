import { spec } from '../../../testing/src/given-when-then.js';
import type { TokenCreated, TokenRevoked } from './token.events.js';
import { tokenDecider, type TokenCommand } from './token.decider.js';
import { isTokenUsable } from './token.state.js';

const now = new Date('2026-12-01T10:00:00.000Z');
const later = new Date('2026-12-01T11:00:00.000Z');

const create: Extract<TokenCommand, { type: 'CreateToken' }> = {
  type: 'CreateToken',
  tokenId: 'tok_1',
  workspaceId: 'ws_a',
  userId: 'user_1',
  name: 'Zapier',
  prefix: 'wm_AbCd',
  hash: 'a'.repeat(64),
  scopes: ['tokens:read', 'webhooks:read'],
  expiresAt: null,
  now,
};

const created: TokenCreated = {
  type: 'TokenCreated',
  data: {
    tokenId: 'tok_1',
    workspaceId: 'ws_a',
    userId: 'user_1',
    name: 'Zapier',
    prefix: 'wm_AbCd',
    hash: 'a'.repeat(64),
    scopes: ['tokens:read', 'webhooks:read'],
    expiresAt: null,
    createdAt: now.toISOString(),
  },
};

const revoked: TokenRevoked = {
  type: 'TokenRevoked',
  data: { tokenId: 'tok_1', workspaceId: 'ws_a', revokedAt: later.toISOString() },
};

const revoke: TokenCommand = { type: 'RevokeToken', tokenId: 'tok_1', workspaceId: 'ws_a', now: later };

describe('token aggregate', () => {
  it('given no history, when CreateToken, then TokenCreated with the hash and no plaintext', () => {
    spec(tokenDecider).given([]).when(create).then([created]);
  });

  it('given a created token, when CreateToken again with the same id, then a conflict', () => {
    spec(tokenDecider).given([created]).when(create).thenThrows('token_exists');
  });

  it('given no history, when CreateToken with an expiry in the past, then it is refused as invalid', () => {
    const err = spec(tokenDecider)
      .given([])
      .when({ ...create, expiresAt: new Date('2026-11-30T00:00:00Z') })
      .thenThrows('expires_at_in_past');
    expect(err.kind).toBe('invalid');
  });

  it('given a created token, when RevokeToken, then TokenRevoked', () => {
    spec(tokenDecider).given([created]).when(revoke).then([revoked]);
  });

  it('given a revoked token, when RevokeToken again, then an error', () => {
    spec(tokenDecider).given([created, revoked]).when(revoke).thenThrows('token_already_revoked');
  });

  it('given no history, when RevokeToken, then not found', () => {
    spec(tokenDecider).given([]).when(revoke).thenThrows('token_not_found');
  });

  it("given another workspace's token, when RevokeToken, then not found (existence is not revealed)", () => {
    spec(tokenDecider)
      .given([created])
      .when({ ...revoke, workspaceId: 'ws_b' } as TokenCommand)
      .thenThrows('token_not_found');
  });

  describe('expiry', () => {
    const expiring: TokenCreated = { ...created, data: { ...created.data, expiresAt: later.toISOString() } };
    const fold = (events: (TokenCreated | TokenRevoked)[]) =>
      events.reduce(tokenDecider.evolve, tokenDecider.initialState());

    it('given a token expiring later, it is usable before and unusable from its expiry on', () => {
      const state = fold([expiring]);
      expect(isTokenUsable(state, now)).toBe(true);
      expect(isTokenUsable(state, later)).toBe(false);
      expect(isTokenUsable(state, new Date(later.getTime() + 1))).toBe(false);
    });

    it('given an expired token, when RevokeToken, then TokenRevoked (revoking stays possible for the record)', () => {
      spec(tokenDecider)
        .given([expiring])
        .when({ ...revoke, now: new Date(later.getTime() + 60_000) } as TokenCommand)
        .then([
          {
            ...revoked,
            data: { ...revoked.data, revokedAt: new Date(later.getTime() + 60_000).toISOString() },
          },
        ]);
    });

    it('a revoked token is never usable', () => {
      expect(isTokenUsable(fold([created, revoked]), now)).toBe(false);
    });

    it('the folded state never holds the hash', () => {
      expect(JSON.stringify(fold([created]))).not.toContain('a'.repeat(64));
    });
  });
});
