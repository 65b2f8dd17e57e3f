import { randomBytes } from 'node:crypto';
import { decodeCursor, newId, type Page } from '../../../kernel/src/index.js';
import {
  type ContractFactory,
  type ContractOptions,
  describeContract,
} from '../../../read-store/src/contract/contract-suite.js';
import type { TokenCreated } from '../domain/token.events.js';
import type { TokenListQuery, TokenReadRepository } from './token-read.repository.js';
import type { TokenView } from './token.read-model.js';

const T0 = '2025-03-01T10:00:00.000Z';

function created(overrides: Partial<TokenCreated['data']> = {}): TokenCreated['data'] {
  return {
    tokenId: newId('tok'),
    workspaceId: 'ws_contract_a',
    userId: 'user_1',
    name: 'CI token',
    prefix: 'wm_abc',
    hash: randomBytes(32).toString('hex'),
    scopes: ['tokens:read', 'webhooks:write'],
    expiresAt: null,
    createdAt: T0,
    ...overrides,
  };
}

async function allPages(
  repo: TokenReadRepository,
  query: Omit<TokenListQuery, 'cursor'>,
): Promise<Page<TokenView>[]> {
  const pages: Page<TokenView>[] = [];
  let cursor: TokenListQuery['cursor'];
  for (let i = 0; i < 50; i++) {
    const page = await repo.list({ ...query, cursor });
    pages.push(page);
    if (!page.nextCursor) return pages;
    cursor = decodeCursor(page.nextCursor);
  }
  throw new Error('pagination did not end');
}

/**
 * What every TokenReadRepository adapter must do. Run from an int-spec:
 * `tokenReadRepositoryContract('sqlite', factory)`.
 */
export function tokenReadRepositoryContract(
  adapterName: string,
  factory: ContractFactory<TokenReadRepository>,
  options: ContractOptions = {},
): void {
  describeContract(`TokenReadRepository contract [${adapterName}]`, factory, options, (ctx) => {
    describe('applyCreated / findByHash / findById', () => {
      it('stores a created token and finds it by hash and by id, never exposing the hash', async () => {
        const e = created({ expiresAt: '2026-01-01T00:00:00.000Z' });
        await ctx.subject.applyCreated(e, 0);

        const expected: TokenView = {
          id: e.tokenId,
          workspaceId: e.workspaceId,
          userId: e.userId,
          name: e.name,
          prefix: e.prefix,
          scopes: e.scopes,
          createdAt: e.createdAt,
          expiresAt: '2026-01-01T00:00:00.000Z',
          revokedAt: null,
          lastUsedAt: null,
        };
        expect(await ctx.subject.findByHash(e.hash)).toEqual(expected);
        expect(await ctx.subject.findById(e.workspaceId, e.tokenId)).toEqual(expected);
      });

      it('answers null for an unknown hash or id', async () => {
        await ctx.subject.applyCreated(created(), 0);
        expect(await ctx.subject.findByHash(randomBytes(32).toString('hex'))).toBeNull();
        expect(await ctx.subject.findById('ws_contract_a', newId('tok'))).toBeNull();
      });

      it('keeps workspaces apart: findById in another workspace is null', async () => {
        const e = created();
        await ctx.subject.applyCreated(e, 0);
        expect(await ctx.subject.findById('ws_contract_b', e.tokenId)).toBeNull();
      });

      it('is idempotent under replay: the same creation twice leaves one unchanged token', async () => {
        const e = created();
        await ctx.subject.applyCreated(e, 0);
        await ctx.subject.applyCreated({ ...e, name: 'replayed with other data' }, 0);
        const page = await ctx.subject.list({ workspaceId: e.workspaceId, limit: 10, includeRevoked: true });
        expect(page.data).toHaveLength(1);
        expect(page.data[0]!.name).toBe('CI token');
      });
    });

    describe('applyRevoked', () => {
      it('marks the token revoked', async () => {
        const e = created();
        await ctx.subject.applyCreated(e, 0);
        await ctx.subject.applyRevoked(e.tokenId, '2025-03-02T00:00:00.000Z', 1);
        expect((await ctx.subject.findByHash(e.hash))!.revokedAt).toBe('2025-03-02T00:00:00.000Z');
      });

      it('ignores the same revision applied again and an older revision applied after a newer one', async () => {
        const e = created();
        await ctx.subject.applyCreated(e, 0);
        await ctx.subject.applyRevoked(e.tokenId, '2025-03-03T00:00:00.000Z', 2);
        await ctx.subject.applyRevoked(e.tokenId, '2025-03-09T00:00:00.000Z', 2);
        await ctx.subject.applyRevoked(e.tokenId, '2025-03-02T00:00:00.000Z', 1);
        // A full replay from the start changes nothing either.
        await ctx.subject.applyCreated(e, 0);
        const view = await ctx.subject.findByHash(e.hash);
        expect(view!.revokedAt).toBe('2025-03-03T00:00:00.000Z');
        expect(view!.name).toBe('CI token');
      });

      it('does nothing for a token it does not know', async () => {
        const id = newId('tok');
        await ctx.subject.applyRevoked(id, T0, 1);
        expect(await ctx.subject.findById('ws_contract_a', id)).toBeNull();
      });
    });

    describe('list', () => {
      it('lists only the workspace, newest first, without revoked tokens unless asked', async () => {
        const older = created({ createdAt: '2025-03-01T10:00:00.000Z' });
        const newer = created({ createdAt: '2025-03-01T11:00:00.000Z' });
        const revoked = created({ createdAt: '2025-03-01T12:00:00.000Z' });
        const elsewhere = created({ workspaceId: 'ws_contract_b', createdAt: '2025-03-01T13:00:00.000Z' });
        for (const e of [older, newer, revoked, elsewhere]) await ctx.subject.applyCreated(e, 0);
        await ctx.subject.applyRevoked(revoked.tokenId, '2025-03-02T00:00:00.000Z', 1);

        const active = await ctx.subject.list({
          workspaceId: 'ws_contract_a',
          limit: 10,
          includeRevoked: false,
        });
        expect(active.data.map((t) => t.id)).toEqual([newer.tokenId, older.tokenId]);
        expect(active.nextCursor).toBeNull();

        const all = await ctx.subject.list({ workspaceId: 'ws_contract_a', limit: 10, includeRevoked: true });
        expect(all.data.map((t) => t.id)).toEqual([revoked.tokenId, newer.tokenId, older.tokenId]);
        expect(all.data[0]!.revokedAt).toBe('2025-03-02T00:00:00.000Z');
      });

      it('pages through tokens with equal createdAt without repeating or skipping any (id breaks ties)', async () => {
        const tokens = Array.from({ length: 7 }, () => created({ createdAt: T0 }));
        tokens.push(
          created({ createdAt: '2025-03-01T09:00:00.000Z' }),
          created({ createdAt: '2025-03-01T11:00:00.000Z' }),
        );
        for (const e of tokens) await ctx.subject.applyCreated(e, 0);

        const pages = await allPages(ctx.subject, {
          workspaceId: 'ws_contract_a',
          limit: 3,
          includeRevoked: false,
        });
        expect(pages.map((p) => p.data.length)).toEqual([3, 3, 3]);
        expect(pages.at(-1)!.nextCursor).toBeNull();
        const listed = pages.flatMap((p) => p.data);
        const expected = [...tokens].sort((a, b) =>
          a.createdAt === b.createdAt ? (a.tokenId < b.tokenId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
        );
        expect(listed.map((t) => t.id)).toEqual(expected.map((t) => t.tokenId));
      });

      it('gives no next cursor when the last page is exactly full', async () => {
        for (let i = 0; i < 4; i++) await ctx.subject.applyCreated(created(), 0);
        const pages = await allPages(ctx.subject, {
          workspaceId: 'ws_contract_a',
          limit: 2,
          includeRevoked: false,
        });
        expect(pages.map((p) => p.data.length)).toEqual([2, 2]);
      });

      it('answers an empty page for a workspace without tokens', async () => {
        expect(
          await ctx.subject.list({ workspaceId: 'ws_contract_empty', limit: 5, includeRevoked: true }),
        ).toEqual({
          data: [],
          nextCursor: null,
        });
      });
    });

    describe('touchLastUsed', () => {
      it('records the last use and never moves it backwards', async () => {
        const e = created();
        await ctx.subject.applyCreated(e, 0);
        await ctx.subject.touchLastUsed(e.tokenId, '2025-03-05T10:00:00.000Z');
        expect((await ctx.subject.findByHash(e.hash))!.lastUsedAt).toBe('2025-03-05T10:00:00.000Z');
        await ctx.subject.touchLastUsed(e.tokenId, '2025-03-04T10:00:00.000Z');
        expect((await ctx.subject.findByHash(e.hash))!.lastUsedAt).toBe('2025-03-05T10:00:00.000Z');
        await ctx.subject.touchLastUsed(e.tokenId, '2025-03-06T10:00:00.000Z');
        expect((await ctx.subject.findByHash(e.hash))!.lastUsedAt).toBe('2025-03-06T10:00:00.000Z');
      });

      it('keeps a revocation applied while another instance touches the token', async () => {
        const e = created();
        await ctx.subject.applyCreated(e, 0);
        const other = await ctx.another();
        await Promise.all([
          ctx.subject.applyRevoked(e.tokenId, '2025-03-02T00:00:00.000Z', 1),
          ...Array.from({ length: 10 }, (_, i) =>
            other.touchLastUsed(e.tokenId, `2025-03-01T12:00:0${i}.000Z`),
          ),
        ]);
        await ctx.settle();
        const view = await ctx.subject.findByHash(e.hash);
        expect(view!.revokedAt).toBe('2025-03-02T00:00:00.000Z');
        expect(view!.lastUsedAt).toBe('2025-03-01T12:00:09.000Z');
      });

      it('does not create a token it does not know', async () => {
        const id = newId('tok');
        await ctx.subject.touchLastUsed(id, T0);
        expect(await ctx.subject.findById('ws_contract_a', id)).toBeNull();
      });
    });

    describe('shared store', () => {
      it('shows a token changed through one instance to another once settled (the API settles before it answers: revocation holds on the next request)', async () => {
        const e = created();
        const other = await ctx.another();
        await ctx.subject.applyCreated(e, 0);
        await ctx.settle();
        expect((await other.findByHash(e.hash))!.revokedAt).toBeNull();
        await ctx.subject.applyRevoked(e.tokenId, '2025-03-02T00:00:00.000Z', 1);
        await ctx.settle();
        expect((await other.findByHash(e.hash))!.revokedAt).toBe('2025-03-02T00:00:00.000Z');
      });
    });

    it('clear() empties the read model', async () => {
      const e = created();
      await ctx.subject.applyCreated(e, 0);
      await ctx.subject.clear();
      expect(await ctx.subject.findByHash(e.hash)).toBeNull();
      expect(
        (await ctx.subject.list({ workspaceId: e.workspaceId, limit: 5, includeRevoked: true })).data,
      ).toEqual([]);
    });
  });
}
