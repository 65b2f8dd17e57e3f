/**
 * Authentication end to end, over real HTTP on a fresh DATA_DIR: the Authorization header and its
 * failure modes (RFC 6750 challenges), scopes, revocation, expiry, restarts, and the promise that a
 * plaintext token never reaches the disk or the logs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from '../libs/tokens/src/domain/token-format.js';
import { waitFor } from '../libs/testing/src/receiver.js';
import { http, type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

const REALM = 'Bearer realm="whatsmine"';
const ALL_SCOPES = ['tokens:read', 'tokens:write', 'webhooks:read', 'webhooks:write'];

interface Created {
  id: string;
  token: string;
  scopes: string[];
  workspaceId: string;
  userId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every plaintext token seen by this file, for the disk and log scans. */
const plaintexts = new Set<string>();

async function adminCreate(
  app: RunningTestApp,
  workspaceId: string,
  body: Record<string, unknown> = {},
): Promise<Created> {
  const res = await http(app.baseUrl, 'POST', `/admin/v1/workspaces/${workspaceId}/tokens`, {
    token: app.adminKey,
    body: { name: 'test token', userId: 'user_1', ...body },
  });
  expect(res.status).toBe(201);
  plaintexts.add(res.body.token);
  return res.body as Created;
}

function expectErrorShape(body: unknown, statusCode: number): void {
  expect(body).toEqual(
    expect.objectContaining({ statusCode, error: expect.any(String), message: expect.any(String) }),
  );
  const keys = Object.keys(body as object).sort();
  expect(keys.filter((k) => !['details', 'error', 'message', 'statusCode'].includes(k))).toEqual([]);
}

function expectMissingCredential(res: { status: number; headers: Headers; body: unknown }): void {
  expect(res.status).toBe(401);
  expectErrorShape(res.body, 401);
  expect(res.headers.get('www-authenticate')).toBe(REALM);
}

function expectInvalidToken(
  res: { status: number; headers: Headers; body: unknown },
  messagePattern?: RegExp,
): void {
  expect(res.status).toBe(401);
  expectErrorShape(res.body, 401);
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge.startsWith(REALM)).toBe(true);
  expect(challenge).toContain('error="invalid_token"');
  if (messagePattern) expect((res.body as { message: string }).message).toMatch(messagePattern);
}

/** Every file under `dir`, recursively, as raw bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

/** A well-formed token (right length and checksum) with one character of the random part changed. */
function withBrokenChecksum(token: string): string {
  const i = 5;
  const replacement = token[i] === 'A' ? 'B' : 'A';
  return token.slice(0, i) + replacement + token.slice(i + 1);
}

describe('authentication (e2e)', () => {
  let app: RunningTestApp;
  let full: Created;

  beforeAll(async () => {
    app = await startTestApp();
    full = await adminCreate(app, 'ws_a', { name: 'full access' });
  });

  afterAll(async () => {
    await app?.close();
    if (app) rmSync(app.dataDir, { recursive: true, force: true });
  });

  describe('the Authorization header', () => {
    it('accepts a valid token and reports who it acts for', async () => {
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', { token: full.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        tokenId: full.id,
        workspaceId: 'ws_a',
        userId: 'user_1',
        scopes: ALL_SCOPES,
      });
    });

    it('accepts the scheme name in any case', async () => {
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', {
        headers: { authorization: `bearer ${full.token}` },
      });
      expect(res.status).toBe(200);
      expect(res.body.tokenId).toBe(full.id);
    });

    it('answers 401 with a bare challenge when no credential is sent', async () => {
      expectMissingCredential(await http(app.baseUrl, 'GET', '/api/v1/me'));
      expectMissingCredential(await http(app.baseUrl, 'GET', '/api/v1/tokens'));
      expectMissingCredential(await http(app.baseUrl, 'POST', '/api/v1/tokens', { body: { name: 'x' } }));
      expectMissingCredential(await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${full.id}`));
    });

    it('answers 401 with a bare challenge for an empty header', async () => {
      expectMissingCredential(
        await http(app.baseUrl, 'GET', '/api/v1/me', { headers: { authorization: '' } }),
      );
    });

    it.each([
      ['another scheme', 'Basic dXNlcjpwYXNzd29yZA=='],
      ['a scheme without a token', 'Bearer'],
      ['a token without a scheme', 'wm_0123456789abcdefghijABCDEFGHIJ012345'],
      ['two words after the scheme', 'Bearer wm_abc wm_def'],
      ['a non-ASCII token', 'Bearer wm_caf\u00e9'],
      ['a tab instead of a space', 'Bearer\twm_abc'],
    ])('refuses a malformed header (%s) with a 400/401, never a 500', async (_label, header) => {
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', { headers: { authorization: header } });
      expect([400, 401]).toContain(res.status);
      expectErrorShape(res.body, res.status);
      expect(res.headers.get('www-authenticate') ?? '').toMatch(/^Bearer realm="whatsmine"/);
    });

    it('refuses a malformed header as invalid_request (400)', async () => {
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', {
        headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_request"');
    });

    it.each([
      ['too short', () => 'wm_abc'],
      ['one character too long', () => `${full.token}x`],
      ['one character too short', () => full.token.slice(0, -1)],
      ['very long', () => `wm_${'a'.repeat(4000)}`],
      ['the wrong prefix', () => `xx_${full.token.slice(3)}`],
      ['a broken checksum', () => withBrokenChecksum(full.token)],
      ['punctuation inside', () => `wm_${'!'.repeat(36)}`],
    ])('answers 401 invalid_token for a token %s', async (_label, make) => {
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', { token: make() });
      expectInvalidToken(res);
    });

    it('answers 401 invalid_token for a well-formed token that was never issued', async () => {
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', { token: generateToken() });
      expectInvalidToken(res, /not valid/i);
    });

    it('never accepts access_token in the query string', async () => {
      const res = await http(app.baseUrl, 'GET', `/api/v1/me?access_token=${full.token}`);
      expectMissingCredential(res);
      const list = await http(app.baseUrl, 'GET', `/api/v1/tokens?access_token=${full.token}`);
      expectMissingCredential(list);
    });

    it('never accepts access_token in a JSON body', async () => {
      const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        body: { name: 'sneaky', access_token: full.token },
      });
      expectMissingCredential(res);
    });

    it('never accepts access_token in a form body', async () => {
      const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        rawBody: `name=sneaky&access_token=${full.token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectMissingCredential(res);
    });

    it('authenticates with the header only, even when another token is in the query string', async () => {
      const other = await adminCreate(app, 'ws_b', { name: 'other' });
      const res = await http(app.baseUrl, 'GET', `/api/v1/me?access_token=${other.token}`, {
        token: full.token,
      });
      expect(res.status).toBe(200);
      expect(res.body.tokenId).toBe(full.id);
    });
  });

  describe('scopes', () => {
    it('answers 403 naming the missing scope on every token route', async () => {
      const webhooksOnly = await adminCreate(app, 'ws_a', { scopes: ['webhooks:read'] });
      const list = await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: webhooksOnly.token });
      expect(list.status).toBe(403);
      expectErrorShape(list.body, 403);
      expect(list.body.error).toBe('Forbidden');
      expect(list.body.message).toContain('tokens:read');

      const create = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: webhooksOnly.token,
        body: { name: 'x' },
      });
      expect(create.status).toBe(403);
      expect(create.body.message).toContain('tokens:write');

      const revokeOther = await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${full.id}`, {
        token: webhooksOnly.token,
      });
      expect(revokeOther.status).toBe(403);
      expect(revokeOther.body.message).toContain('tokens:write');
      // ...and the refusal really refused: the other token still works.
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: full.token })).status).toBe(200);
    });

    it('lets a read-only token list but not create', async () => {
      const readOnly = await adminCreate(app, 'ws_a', { scopes: ['tokens:read'] });
      expect((await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: readOnly.token })).status).toBe(200);
      const create = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: readOnly.token,
        body: { name: 'x' },
      });
      expect(create.status).toBe(403);
      expect(create.body.message).toContain('tokens:write');
    });

    it('gives /me to a token with no route scope at all', async () => {
      const webhooksOnly = await adminCreate(app, 'ws_a', { scopes: ['webhooks:write'] });
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', { token: webhooksOnly.token });
      expect(res.status).toBe(200);
      expect(res.body.scopes).toEqual(['webhooks:write']);
    });

    it("refuses (403) a new token with scopes beyond the caller's, naming them", async () => {
      const limited = await adminCreate(app, 'ws_a', { scopes: ['tokens:read', 'tokens:write'] });
      const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: limited.token,
        body: { name: 'escalation', scopes: ['tokens:read', 'webhooks:write'] },
      });
      expect(res.status).toBe(403);
      expectErrorShape(res.body, 403);
      expect(res.body.message).toContain('webhooks:write');
      expect(res.body.message).not.toContain('tokens:read');
      const after = await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: limited.token });
      expect(after.body.data.map((t: { name: string }) => t.name)).not.toContain('escalation');
    });

    it("gives a new token the caller's scopes by default, never all four", async () => {
      const limited = await adminCreate(app, 'ws_a', { scopes: ['tokens:write'] });
      const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: limited.token,
        body: { name: 'child' },
      });
      expect(res.status).toBe(201);
      plaintexts.add(res.body.token);
      expect(res.body.scopes).toEqual(['tokens:write']);
      const me = await http(app.baseUrl, 'GET', '/api/v1/me', { token: res.body.token });
      expect(me.body.scopes).toEqual(['tokens:write']);
    });

    it("allows a subset of the caller's scopes", async () => {
      const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: full.token,
        body: { name: 'subset', scopes: ['webhooks:read', 'tokens:read'] },
      });
      expect(res.status).toBe(201);
      plaintexts.add(res.body.token);
      expect(res.body.scopes).toEqual(['tokens:read', 'webhooks:read']);
    });
  });

  describe('revocation', () => {
    it('is effective on the very next request (revoked by the admin)', async () => {
      const t = await adminCreate(app, 'ws_a');
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token })).status).toBe(200);
      const del = await http(app.baseUrl, 'DELETE', `/admin/v1/workspaces/ws_a/tokens/${t.id}`, {
        token: app.adminKey,
      });
      expect(del.status).toBe(204);
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token }), /revoked/i);
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: t.token }), /revoked/i);
    });

    it('is effective on the very next request (revoked by another token)', async () => {
      const t = await adminCreate(app, 'ws_a');
      const del = await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${t.id}`, { token: full.token });
      expect(del.status).toBe(204);
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token }), /revoked/i);
    });

    it('lets a token without tokens:write revoke itself, after which it is refused', async () => {
      const t = await adminCreate(app, 'ws_a', { scopes: ['webhooks:read'] });
      const del = await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${t.id}`, { token: t.token });
      expect(del.status).toBe(204);
      expect(del.body).toBeUndefined();
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token }), /revoked/i);
      expectInvalidToken(
        await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${t.id}`, { token: t.token }),
        /revoked/i,
      );
    });

    it('holds under a burst of requests right after the revoke', async () => {
      const t = await adminCreate(app, 'ws_a');
      await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${t.id}`, { token: t.token });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(401));
    });
  });

  describe('expiry', () => {
    it('refuses (400) an expiresAt in the past', async () => {
      const res = await http(app.baseUrl, 'POST', '/admin/v1/workspaces/ws_a/tokens', {
        token: app.adminKey,
        body: { name: 'stale', userId: 'user_1', expiresAt: new Date(Date.now() - 60_000).toISOString() },
      });
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 400);
      expect(JSON.stringify(res.body.details)).toContain('expiresAt');
      const viaToken = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: full.token,
        body: { name: 'stale', expiresAt: '2001-01-01T00:00:00.000Z' },
      });
      expect(viaToken.status).toBe(400);
      expect(JSON.stringify(viaToken.body.details)).toContain('expiresAt');
    });

    it('works until expiresAt and answers 401 invalid_token after it', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const t = await adminCreate(app, 'ws_a', { expiresAt });
      const before = await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token });
      expect(before.status).toBe(200);
      expect(before.body.expiresAt).toBe(expiresAt);
      await sleep(Math.max(0, new Date(expiresAt).getTime() - Date.now()) + 300);
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token }), /expired/i);
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: t.token }), /expired/i);
    });

    it('applies to tokens created through the API as well', async () => {
      const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: full.token,
        body: { name: 'short-lived', expiresAt: new Date(Date.now() + 1500).toISOString() },
      });
      expect(res.status).toBe(201);
      plaintexts.add(res.body.token);
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: res.body.token })).status).toBe(200);
      await sleep(Math.max(0, new Date(res.body.expiresAt).getTime() - Date.now()) + 300);
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: res.body.token }), /expired/i);
    });
  });

  describe('admin routes', () => {
    // Always three entries: jest would take a missing third argument for a `done` callback.
    const adminPaths: [string, string, unknown][] = [
      ['GET', '/admin/v1/workspaces/ws_a/tokens', undefined],
      ['POST', '/admin/v1/workspaces/ws_a/tokens', { name: 'x', userId: 'user_1' }],
      ['DELETE', '/admin/v1/workspaces/ws_a/tokens/tok_00000000000000000000000000', undefined],
    ];

    it.each(adminPaths)('%s %s refuses an API token (401 invalid_token)', async (method, path, body) => {
      expectInvalidToken(await http(app.baseUrl, method, path, { token: full.token, body }));
    });

    it.each(adminPaths)('%s %s refuses a missing credential (401)', async (method, path, body) => {
      expectMissingCredential(await http(app.baseUrl, method, path, { body }));
    });

    it.each(adminPaths)('%s %s refuses a wrong admin key (401)', async (method, path, body) => {
      expectInvalidToken(await http(app.baseUrl, method, path, { token: `${app.adminKey}x`, body }));
      expectInvalidToken(await http(app.baseUrl, method, path, { token: 'short', body }));
    });

    it('takes the admin key', async () => {
      const res = await http(app.baseUrl, 'GET', '/admin/v1/workspaces/ws_a/tokens', { token: app.adminKey });
      expect(res.status).toBe(200);
    });

    it('does not let the admin key act as an API token', async () => {
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: app.adminKey }));
      expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: app.adminKey }));
    });
  });

  describe('lastUsedAt', () => {
    it('is set after a use and refreshed at most once a minute', async () => {
      const t = await adminCreate(app, 'ws_a', { name: 'usage' });
      const first = await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token });
      expect(first.body.lastUsedAt).toBeNull();
      await sleep(50);
      const second = await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token });
      expect(second.body.lastUsedAt).toEqual(expect.stringMatching(/Z$/));
      await sleep(50);
      const third = await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token });
      expect(third.body.lastUsedAt).toBe(second.body.lastUsedAt);
    });
  });

  describe('secrecy', () => {
    it('keeps no plaintext token in any file under DATA_DIR (only its SHA-256)', async () => {
      expect(plaintexts.size).toBeGreaterThan(5);
      const files = filesUnder(app.dataDir);
      expect(files.length).toBeGreaterThan(0);
      for (const token of plaintexts) {
        for (const file of files) {
          expect({ file: file.path, found: file.bytes.includes(token) }).toEqual({
            file: file.path,
            found: false,
          });
        }
      }
      // The scan looks at the right bytes: the hash, which is kept, is found.
      const hash = createHash('sha256').update(full.token).digest('hex');
      expect(files.some((f) => f.bytes.includes(hash))).toBe(true);
    });

    it('writes no plaintext token or admin key in any log line', async () => {
      // The access log is on, so there is something to look through.
      expect(app.logs.some((line) => line.includes('/api/v1/me'))).toBe(true);
      expect(app.logs.some((line) => line.includes('/admin/v1/workspaces/ws_a/tokens'))).toBe(true);
      for (const line of app.logs) {
        for (const token of plaintexts) expect(line).not.toContain(token);
        expect(line).not.toContain(app.adminKey);
        expect(line).not.toContain('access_token');
      }
    });
  });
});

describe('tokens across a restart (e2e)', () => {
  let app: RunningTestApp | undefined;

  afterEach(async () => {
    await app?.close();
    if (app) rmSync(app.dataDir, { recursive: true, force: true });
    app = undefined;
  });

  it('keeps a token created before the restart working and a revoked one revoked', async () => {
    app = await startTestApp();
    const { dataDir, adminKey } = app;
    const kept = await adminCreate(app, 'ws_r', { name: 'kept' });
    const revoked = await adminCreate(app, 'ws_r', { name: 'revoked' });
    const selfRevoked = await adminCreate(app, 'ws_r', { name: 'self-revoked' });
    expect(
      (
        await http(app.baseUrl, 'DELETE', `/admin/v1/workspaces/ws_r/tokens/${revoked.id}`, {
          token: adminKey,
        })
      ).status,
    ).toBe(204);
    expect(
      (await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${selfRevoked.id}`, { token: selfRevoked.token }))
        .status,
    ).toBe(204);
    await app.close();
    app = undefined;

    // Nothing on disk after a clean shutdown either (WAL checkpointed into the database files).
    for (const file of filesUnder(dataDir)) {
      for (const token of [kept.token, revoked.token, selfRevoked.token])
        expect(file.bytes.includes(token)).toBe(false);
    }

    app = await startTestApp({}, dataDir);
    expect(app.adminKey).toBe(adminKey);
    const me = await http(app.baseUrl, 'GET', '/api/v1/me', { token: kept.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tokenId: kept.id, name: 'kept', workspaceId: 'ws_r', userId: 'user_1' });
    expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: revoked.token }), /revoked/i);
    expectInvalidToken(
      await http(app.baseUrl, 'GET', '/api/v1/me', { token: selfRevoked.token }),
      /revoked/i,
    );

    const list = await http(app.baseUrl, 'GET', '/api/v1/tokens?includeRevoked=true', { token: kept.token });
    expect(list.status).toBe(200);
    const byId = new Map<string, { revokedAt: string | null }>(
      list.body.data.map((t: { id: string; revokedAt: string | null }) => [t.id, t]),
    );
    expect(byId.get(kept.id)?.revokedAt).toBeNull();
    expect(byId.get(revoked.id)?.revokedAt).toEqual(expect.any(String));
    expect(byId.get(selfRevoked.id)?.revokedAt).toEqual(expect.any(String));

    // Revoking after the restart still works, and is still immediate.
    expect(
      (await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${kept.id}`, { token: kept.token })).status,
    ).toBe(204);
    expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: kept.token }), /revoked/i);
    // The old admin key is the one in force.
    const adminList = await http(app.baseUrl, 'GET', '/admin/v1/workspaces/ws_r/tokens', { token: adminKey });
    expect(adminList.status).toBe(200);
    expect(adminList.body.data).toEqual([]);
  });

  it('survives a second restart with a revoked token still revoked', async () => {
    app = await startTestApp();
    const dataDir = app.dataDir;
    const t = await adminCreate(app, 'ws_r2');
    await http(app.baseUrl, 'DELETE', `/admin/v1/workspaces/ws_r2/tokens/${t.id}`, { token: app.adminKey });
    await app.close();
    app = await startTestApp({}, dataDir);
    await app.close();
    app = await startTestApp({}, dataDir);
    expectInvalidToken(await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token }), /revoked/i);
    const again = await http(app.baseUrl, 'DELETE', `/admin/v1/workspaces/ws_r2/tokens/${t.id}`, {
      token: app.adminKey,
    });
    expect(again.status).toBe(409);
  });
});

describe('tokens across a read-model rebuild (e2e)', () => {
  let app: RunningTestApp | undefined;

  afterEach(async () => {
    await app?.close();
    if (app) rmSync(app.dataDir, { recursive: true, force: true });
    app = undefined;
  });

  it('keeps revocations and accepted tokens through a generation switch, and revokes at once after it', async () => {
    app = await startTestApp();
    const running = app;
    const me = (token: string) => http(running.baseUrl, 'GET', '/api/v1/me', { token });
    const kept = await adminCreate(running, 'ws_rb', { name: 'kept' });
    const revoked = await adminCreate(running, 'ws_rb', { name: 'revoked' });
    // Twice each: the first use also records lastUsedAt, the second finds the token again.
    for (const t of [kept, revoked, kept, revoked]) expect((await me(t.token)).status).toBe(200);
    const del = await http(running.baseUrl, 'DELETE', `/admin/v1/workspaces/ws_rb/tokens/${revoked.id}`, {
      token: running.adminKey,
    });
    expect(del.status).toBe(204);
    expectInvalidToken(await me(revoked.token), /revoked/i);

    const admin = (method: string, path: string) =>
      http(running.baseUrl, method, path, { token: running.adminKey });
    expect((await admin('POST', '/admin/v1/projections/rebuild')).status).toBe(202);
    const done = await waitFor(async () => {
      const s = await admin('GET', '/admin/v1/projections');
      if (s.body.rebuild?.status === 'failed') throw new Error(s.body.rebuild.error);
      return s.body.rebuild?.status === 'done' ? s.body : undefined;
    });
    expect(done.generation).toBe(2);

    expectInvalidToken(await me(revoked.token), /revoked/i);
    for (let i = 0; i < 2; i++) expect((await me(kept.token)).status).toBe(200);
    expect(
      (await http(running.baseUrl, 'DELETE', `/api/v1/tokens/${kept.id}`, { token: kept.token })).status,
    ).toBe(204);
    expectInvalidToken(await me(kept.token), /revoked/i);
  });
});
