/**
 * The embedded token read model's lookup cache against a real file: it must answer repeated
 * lookups from memory, yet show every change to a token on the next lookup, whoever made it:
 * this repository, another connection in this process, another process.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newId } from '../../../kernel/src/index.js';
import { SqliteReadDatabase } from '../../../read-store/src/embedded/sqlite-read-database.js';
import type { TokenCreated } from '../domain/token.events.js';
import { SqliteTokenRepository } from './sqlite-token.repository.js';
import { TokenLookupCache } from './token-lookup-cache.js';

const REVOKED_AT = '2025-03-02T00:00:00.000Z';

function created(): TokenCreated['data'] {
  return {
    tokenId: newId('tok'),
    workspaceId: 'ws_cache',
    userId: 'user_1',
    name: 'cached',
    prefix: 'wm_abc',
    hash: randomBytes(32).toString('hex'),
    scopes: ['tokens:read'],
    expiresAt: null,
    createdAt: '2025-03-01T10:00:00.000Z',
  };
}

describe('SqliteTokenRepository lookup cache', () => {
  let dir: string;
  let file: string;
  const toClose: Array<{ close(): void }> = [];

  const open = (cache?: TokenLookupCache) => {
    const db = new SqliteReadDatabase(file);
    toClose.push(db);
    return { db, repo: new SqliteTokenRepository(db, cache) };
  };

  /** A plain connection with nothing shared with the repositories, as another process has. */
  const foreignConnection = () => {
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    toClose.push(db);
    return db;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-cache-'));
    file = join(dir, 'read-models.db');
  });

  afterEach(() => {
    for (const c of toClose.splice(0).reverse()) c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated lookup from memory (a row changed behind its back on its own connection is not seen)', async () => {
    // Not a supported way to write; it shows the cache is in use, which the cases below rely on.
    const { db, repo } = open();
    const e = created();
    await repo.applyCreated(e, 0);
    const first = await repo.findByHash(e.hash);
    db.db.prepare('UPDATE tokens SET name = ? WHERE id = ?').run('changed behind its back', e.tokenId);
    expect(await repo.findByHash(e.hash)).toBe(first);
    expect(first!.name).toBe('cached');
  });

  it('shows a revocation applied through the repository on the next lookup', async () => {
    const { repo } = open();
    const e = created();
    await repo.applyCreated(e, 0);
    expect((await repo.findByHash(e.hash))!.revokedAt).toBeNull();
    await repo.applyRevoked(e.tokenId, REVOKED_AT, 1);
    expect((await repo.findByHash(e.hash))!.revokedAt).toBe(REVOKED_AT);
  });

  it('shows a new lastUsedAt on the next lookup', async () => {
    const { repo } = open();
    const e = created();
    await repo.applyCreated(e, 0);
    expect((await repo.findByHash(e.hash))!.lastUsedAt).toBeNull();
    await repo.touchLastUsed(e.tokenId, '2025-03-05T10:00:00.000Z');
    expect((await repo.findByHash(e.hash))!.lastUsedAt).toBe('2025-03-05T10:00:00.000Z');
  });

  it('finds nothing after clear()', async () => {
    const { repo } = open();
    const e = created();
    await repo.applyCreated(e, 0);
    expect(await repo.findByHash(e.hash)).not.toBeNull();
    await repo.clear();
    expect(await repo.findByHash(e.hash)).toBeNull();
  });

  it('shows a revocation committed through another read database on the same file on the next lookup', async () => {
    const first = open();
    const second = open();
    const e = created();
    await first.repo.applyCreated(e, 0);
    first.db.flush();
    expect((await second.repo.findByHash(e.hash))!.revokedAt).toBeNull();
    await first.repo.applyRevoked(e.tokenId, REVOKED_AT, 1);
    first.db.flush();
    expect((await second.repo.findByHash(e.hash))!.revokedAt).toBe(REVOKED_AT);
  });

  it('shows a revocation committed by a connection it shares nothing with on the next lookup', async () => {
    const { db, repo } = open();
    const e = created();
    await repo.applyCreated(e, 0);
    db.flush();
    expect((await repo.findByHash(e.hash))!.revokedAt).toBeNull();
    foreignConnection()
      .prepare('UPDATE tokens SET revoked_at = ?, revision = 1 WHERE id = ?')
      .run(REVOKED_AT, e.tokenId);
    expect((await repo.findByHash(e.hash))!.revokedAt).toBe(REVOKED_AT);
  });

  it('shows a revocation committed by another process on the next lookup', async () => {
    const { db, repo } = open();
    const e = created();
    await repo.applyCreated(e, 0);
    db.flush();
    expect((await repo.findByHash(e.hash))!.revokedAt).toBeNull();
    const script = `
      const db = new (require('better-sqlite3'))(process.argv[1]);
      db.pragma('busy_timeout = 5000');
      db.prepare('UPDATE tokens SET revoked_at = ?, revision = 1 WHERE id = ?').run(process.argv[2], process.argv[3]);
      db.close();`;
    execFileSync(process.execPath, ['-e', script, file, REVOKED_AT, e.tokenId], { cwd: process.cwd() });
    expect((await repo.findByHash(e.hash))!.revokedAt).toBe(REVOKED_AT);
  });

  it('shows another connection’s change to a lookup made inside its own group transaction', async () => {
    // This connection's first write opens a group transaction (it has seen no other writer yet)
    // after the foreign commit; the lookup inside that transaction must still see the change.
    const { db, repo } = open();
    const e = created();
    const foreign = foreignConnection();
    foreign
      .prepare(
        `INSERT INTO tokens (id, workspace_id, user_id, name, prefix, hash, scopes, created_at, revision)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      )
      .run(e.tokenId, e.workspaceId, e.userId, e.name, e.prefix, e.hash, '["tokens:read"]', e.createdAt);
    expect((await repo.findByHash(e.hash))!.revokedAt).toBeNull();
    foreign.prepare('UPDATE tokens SET revoked_at = ?, revision = 1 WHERE id = ?').run(REVOKED_AT, e.tokenId);
    await repo.applyCreated(created(), 0);
    expect(db.db.inTransaction).toBe(true);
    expect((await repo.findByHash(e.hash))!.revokedAt).toBe(REVOKED_AT);
    db.flush();
  });

  it('stays within its bound and still answers every token correctly', async () => {
    const cache = new TokenLookupCache(2);
    const { repo } = open(cache);
    const tokens = [created(), created(), created()];
    for (const e of tokens) await repo.applyCreated(e, 0);
    for (let round = 0; round < 2; round++) {
      for (const e of tokens) expect((await repo.findByHash(e.hash))!.id).toBe(e.tokenId);
    }
    expect(cache.size).toBe(2);
    await repo.applyRevoked(tokens[2]!.tokenId, REVOKED_AT, 1);
    expect((await repo.findByHash(tokens[2]!.hash))!.revokedAt).toBe(REVOKED_AT);
    expect(await repo.findByHash(randomBytes(32).toString('hex'))).toBeNull();
    expect(cache.size).toBe(2);
  });
});
