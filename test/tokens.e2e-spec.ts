/**
 * Every token route of the contract end to end, over real HTTP on a fresh DATA_DIR: the answers'
 * shapes, validation (400 with details), workspaces (404, never a leak), revocation, pagination,
 * and the public health and documentation routes.
 */
import { rmSync } from 'node:fs';
import { http, type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

const ALL_SCOPES = ['tokens:read', 'tokens:write', 'webhooks:read', 'webhooks:write'];
const TOKEN_ID = /^tok_[0-9a-z]{26}$/;
const PLAINTEXT = /^wm_[0-9A-Za-z]{36}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const CREATED_KEYS = [
  'createdAt',
  'expiresAt',
  'id',
  'name',
  'prefix',
  'scopes',
  'token',
  'userId',
  'workspaceId',
];
const LISTED_KEYS = [
  'createdAt',
  'expiresAt',
  'id',
  'lastUsedAt',
  'name',
  'prefix',
  'revokedAt',
  'scopes',
  'userId',
  'workspaceId',
];
const ME_KEYS = [
  'createdAt',
  'expiresAt',
  'lastUsedAt',
  'name',
  'scopes',
  'tokenId',
  'userId',
  'workspaceId',
];

interface Created {
  id: string;
  name: string;
  token: string;
  prefix: string;
  scopes: string[];
  workspaceId: string;
  userId: string;
  createdAt: string;
  expiresAt: string | null;
}

interface Listed {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

type Res = { status: number; headers: Headers; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

function expectError(res: Res, statusCode: number, error: string): void {
  expect(res.status).toBe(statusCode);
  expect(res.headers.get('content-type') ?? '').toContain('application/json');
  expect(res.body).toEqual(expect.objectContaining({ statusCode, error, message: expect.any(String) }));
  expect(
    Object.keys(res.body).filter((k) => !['statusCode', 'error', 'message', 'details'].includes(k)),
  ).toEqual([]);
}

/** A 400 whose `details` name (at least) the given field. */
function expectInvalid(res: Res, field: string): void {
  expectError(res, 400, 'Bad Request');
  expect(Array.isArray(res.body.details)).toBe(true);
  expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
}

/** Newest first: (createdAt, id) strictly decreasing. */
function expectNewestFirst(items: Listed[]): void {
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1]!;
    const b = items[i]!;
    expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)).toBe(true);
  }
}

describe('token routes (e2e)', () => {
  let app: RunningTestApp;
  const admin = (method: string, path: string, body?: unknown) =>
    http(app.baseUrl, method, path, { token: app.adminKey, body });

  async function adminCreate(workspaceId: string, body: Record<string, unknown> = {}): Promise<Created> {
    const res = await admin('POST', `/admin/v1/workspaces/${workspaceId}/tokens`, {
      name: 'test token',
      userId: 'user_1',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as Created;
  }

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
    if (app) rmSync(app.dataDir, { recursive: true, force: true });
  });

  describe('POST /admin/v1/workspaces/{workspaceId}/tokens', () => {
    it('creates a token with all four scopes by default and shows the plaintext once', async () => {
      const res = await admin('POST', '/admin/v1/workspaces/ws_create/tokens', {
        name: 'CI deploy',
        userId: 'user_42',
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(Object.keys(res.body).sort()).toEqual(CREATED_KEYS);
      expect(res.body).toMatchObject({
        name: 'CI deploy',
        workspaceId: 'ws_create',
        userId: 'user_42',
        scopes: ALL_SCOPES,
        expiresAt: null,
      });
      expect(res.body.id).toMatch(TOKEN_ID);
      expect(res.body.token).toMatch(PLAINTEXT);
      expect(res.body.prefix).toBe(res.body.token.slice(0, 7));
      expect(res.body.createdAt).toMatch(ISO_UTC);
      expect(Math.abs(Date.parse(res.body.createdAt) - Date.now())).toBeLessThan(10_000);

      // It works at once...
      const me = await http(app.baseUrl, 'GET', '/api/v1/me', { token: res.body.token });
      expect(me.status).toBe(200);
      // ...and the plaintext is never shown again.
      const list = await admin('GET', '/admin/v1/workspaces/ws_create/tokens');
      expect(JSON.stringify(list.body)).not.toContain(res.body.token);
      expect(list.body.data[0]).not.toHaveProperty('token');
      expect(list.body.data[0]).not.toHaveProperty('hash');
    });

    it('takes scopes (kept in a stable order) and an expiry, returned in UTC', async () => {
      const res = await admin('POST', '/admin/v1/workspaces/ws_create/tokens', {
        name: 'limited',
        userId: 'user_1',
        scopes: ['webhooks:write', 'tokens:read'],
        expiresAt: '2099-06-01T12:00:00+02:00',
      });
      expect(res.status).toBe(201);
      expect(res.body.scopes).toEqual(['tokens:read', 'webhooks:write']);
      expect(res.body.expiresAt).toBe('2099-06-01T10:00:00.000Z');
    });

    it('gives every token a distinct id and plaintext', async () => {
      const a = await adminCreate('ws_create');
      const b = await adminCreate('ws_create');
      expect(a.id).not.toBe(b.id);
      expect(a.token).not.toBe(b.token);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a missing name', { userId: 'user_1' }, 'name'],
      ['an empty name', { name: '', userId: 'user_1' }, 'name'],
      ['a name that is not a string', { name: 42, userId: 'user_1' }, 'name'],
      ['a name over 100 characters', { name: 'x'.repeat(101), userId: 'user_1' }, 'name'],
      ['a missing userId', { name: 'x' }, 'userId'],
      ['an unknown scope', { name: 'x', userId: 'user_1', scopes: ['tokens:read', 'admin'] }, 'scopes'],
      ['scopes that are not an array', { name: 'x', userId: 'user_1', scopes: 'tokens:read' }, 'scopes'],
      ['a repeated scope', { name: 'x', userId: 'user_1', scopes: ['tokens:read', 'tokens:read'] }, 'scopes'],
      [
        'an expiresAt that is not a date',
        { name: 'x', userId: 'user_1', expiresAt: 'tomorrow' },
        'expiresAt',
      ],
      ['an impossible date', { name: 'x', userId: 'user_1', expiresAt: '2099-02-30T00:00:00Z' }, 'expiresAt'],
      [
        'an expiresAt in the past',
        { name: 'x', userId: 'user_1', expiresAt: '2020-01-01T00:00:00.000Z' },
        'expiresAt',
      ],
      ['an unknown field', { name: 'x', userId: 'user_1', color: 'red' }, 'color'],
      ['a caller-chosen id', { name: 'x', userId: 'user_1', id: 'tok_00000000000000000000000000' }, 'id'],
    ])('answers 400 naming the field for %s', async (_label, body, field) => {
      const res = await admin('POST', '/admin/v1/workspaces/ws_invalid/tokens', body);
      expectInvalid(res, field);
      const list = await admin('GET', '/admin/v1/workspaces/ws_invalid/tokens');
      expect(list.body.data).toEqual([]);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const res = await http(app.baseUrl, 'POST', '/admin/v1/workspaces/ws_invalid/tokens', {
        token: app.adminKey,
        rawBody: '{"name": "x",',
      });
      expectError(res, 400, 'Bad Request');
    });

    it('answers 400 for a JSON body that is not an object', async () => {
      const res = await http(app.baseUrl, 'POST', '/admin/v1/workspaces/ws_invalid/tokens', {
        token: app.adminKey,
        rawBody: '"just a string"',
      });
      expectError(res, 400, 'Bad Request');
    });

    it('answers 413 for a body that is too large', async () => {
      const res = await admin('POST', '/admin/v1/workspaces/ws_invalid/tokens', {
        name: 'x'.repeat(400_000),
        userId: 'user_1',
      });
      expectError(res, 413, 'Payload Too Large');
    });

    it.each(['ws%20a', 'ws.a', 'w'.repeat(101), 'ws%2Fa'])(
      'answers 400 for the workspace id %s',
      async (workspaceId) => {
        const res = await admin('POST', `/admin/v1/workspaces/${workspaceId}/tokens`, {
          name: 'x',
          userId: 'user_1',
        });
        expectInvalid(res, 'workspaceId');
      },
    );
  });

  describe('GET /admin/v1/workspaces/{workspaceId}/tokens', () => {
    it("lists one workspace's tokens, newest first, without secrets", async () => {
      const a = await adminCreate('ws_list', { name: 'first' });
      const b = await adminCreate('ws_list', { name: 'second', userId: 'user_2' });
      await adminCreate('ws_list_other', { name: 'elsewhere' });
      const res = await admin('GET', '/admin/v1/workspaces/ws_list/tokens');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'nextCursor']);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.data.map((t: Listed) => t.id).sort()).toEqual([a.id, b.id].sort());
      expectNewestFirst(res.body.data);
      for (const t of res.body.data) expect(Object.keys(t).sort()).toEqual(LISTED_KEYS);
      const second = res.body.data.find((t: Listed) => t.id === b.id);
      expect(second).toEqual({
        id: b.id,
        name: 'second',
        prefix: b.prefix,
        scopes: ALL_SCOPES,
        workspaceId: 'ws_list',
        userId: 'user_2',
        createdAt: b.createdAt,
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(JSON.stringify(res.body)).not.toContain(a.token);
      expect(JSON.stringify(res.body)).not.toContain(b.token);
    });

    it('answers an empty page for a workspace without tokens', async () => {
      const res = await admin('GET', '/admin/v1/workspaces/ws_nobody/tokens');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], nextCursor: null });
    });

    it('answers 400 for a bad workspace id', async () => {
      expectInvalid(await admin('GET', '/admin/v1/workspaces/ws.bad/tokens'), 'workspaceId');
    });
  });

  describe('DELETE /admin/v1/workspaces/{workspaceId}/tokens/{id}', () => {
    it('revokes (204, no body): the token stops working and leaves the default list', async () => {
      const t = await adminCreate('ws_admin_del');
      const res = await admin('DELETE', `/admin/v1/workspaces/ws_admin_del/tokens/${t.id}`);
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token })).status).toBe(401);
      const list = await admin('GET', '/admin/v1/workspaces/ws_admin_del/tokens');
      expect(list.body.data.map((x: Listed) => x.id)).not.toContain(t.id);
      const all = await admin('GET', '/admin/v1/workspaces/ws_admin_del/tokens?includeRevoked=true');
      const revoked = all.body.data.find((x: Listed) => x.id === t.id);
      expect(revoked.revokedAt).toMatch(ISO_UTC);
    });

    it('answers 409 for a token already revoked', async () => {
      const t = await adminCreate('ws_admin_del');
      expect((await admin('DELETE', `/admin/v1/workspaces/ws_admin_del/tokens/${t.id}`)).status).toBe(204);
      expectError(await admin('DELETE', `/admin/v1/workspaces/ws_admin_del/tokens/${t.id}`), 409, 'Conflict');
    });

    it("answers 404 for another workspace's token, and leaves it working", async () => {
      const t = await adminCreate('ws_admin_other');
      expectError(
        await admin('DELETE', `/admin/v1/workspaces/ws_admin_del/tokens/${t.id}`),
        404,
        'Not Found',
      );
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token })).status).toBe(200);
    });

    it.each(['tok_00000000000000000000000000', 'tok_nope', 'nope', 'ep_00000000000000000000000000'])(
      'answers 404 for the unknown id %s',
      async (id) => {
        expectError(
          await admin('DELETE', `/admin/v1/workspaces/ws_admin_del/tokens/${id}`),
          404,
          'Not Found',
        );
      },
    );
  });

  describe('GET /api/v1/me', () => {
    it('describes the calling token', async () => {
      const t = await adminCreate('ws_me', {
        name: 'me',
        userId: 'user_7',
        scopes: ['webhooks:read'],
        expiresAt: '2099-01-01T00:00:00.000Z',
      });
      const res = await http(app.baseUrl, 'GET', '/api/v1/me', { token: t.token });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(ME_KEYS);
      expect(res.body).toEqual({
        tokenId: t.id,
        name: 'me',
        workspaceId: 'ws_me',
        userId: 'user_7',
        scopes: ['webhooks:read'],
        createdAt: t.createdAt,
        expiresAt: '2099-01-01T00:00:00.000Z',
        lastUsedAt: null,
      });
    });
  });

  describe('GET /api/v1/tokens', () => {
    it("lists the caller's workspace only, never another's", async () => {
      const a1 = await adminCreate('ws_x', { name: 'a1' });
      const a2 = await adminCreate('ws_x', { name: 'a2', userId: 'user_2' });
      const b1 = await adminCreate('ws_y', { name: 'b1' });
      const res = await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: a1.token });
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.data.map((t: Listed) => t.id).sort()).toEqual([a1.id, a2.id].sort());
      for (const t of res.body.data) expect(Object.keys(t).sort()).toEqual(LISTED_KEYS);
      const other = await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: b1.token });
      expect(other.body.data.map((t: Listed) => t.id)).toEqual([b1.id]);
      expect(JSON.stringify(res.body)).not.toContain(a1.token);
    });

    it('adds revoked tokens with includeRevoked=true only', async () => {
      const caller = await adminCreate('ws_rev');
      const gone = await adminCreate('ws_rev', { name: 'gone' });
      await admin('DELETE', `/admin/v1/workspaces/ws_rev/tokens/${gone.id}`);
      const ids = async (query: string) =>
        (await http(app.baseUrl, 'GET', `/api/v1/tokens${query}`, { token: caller.token })).body.data.map(
          (t: Listed) => t.id,
        );
      expect(await ids('')).toEqual([caller.id]);
      expect(await ids('?includeRevoked=false')).toEqual([caller.id]);
      expect((await ids('?includeRevoked=true')).sort()).toEqual([caller.id, gone.id].sort());
      const all = await http(app.baseUrl, 'GET', '/api/v1/tokens?includeRevoked=true', {
        token: caller.token,
      });
      expect(all.body.data.find((t: Listed) => t.id === gone.id).revokedAt).toMatch(ISO_UTC);
      expect(all.body.data.find((t: Listed) => t.id === caller.id).revokedAt).toBeNull();
    });

    it('answers 400 for includeRevoked that is not a boolean', async () => {
      const caller = await adminCreate('ws_rev');
      expectInvalid(
        await http(app.baseUrl, 'GET', '/api/v1/tokens?includeRevoked=maybe', { token: caller.token }),
        'includeRevoked',
      );
    });

    it('answers 400 for an unknown query parameter, such as access_token', async () => {
      const caller = await adminCreate('ws_rev');
      const res = await http(app.baseUrl, 'GET', `/api/v1/tokens?access_token=${caller.token}`, {
        token: caller.token,
      });
      expectInvalid(res, 'access_token');
      expect(JSON.stringify(res.body)).not.toContain(caller.token);
    });
  });

  describe('pagination', () => {
    let caller: Created;
    const created: Created[] = [];
    const page = (query: string) =>
      http(app.baseUrl, 'GET', `/api/v1/tokens${query}`, { token: caller.token });

    beforeAll(async () => {
      caller = await adminCreate('ws_page', { name: 'caller' });
      created.push(caller);
      for (let i = 0; i < 54; i++) created.push(await adminCreate('ws_page', { name: `t${i}` }));
    });

    it('walks every token exactly once with limit and cursor, newest first, and ends with nextCursor null', async () => {
      const seen: Listed[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Res = await page(`?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        pages++;
        expect(res.body.data.length).toBeLessThanOrEqual(7);
        seen.push(...res.body.data);
        cursor = res.body.nextCursor;
        if (cursor !== null) {
          expect(typeof cursor).toBe('string');
          expect(res.body.data).toHaveLength(7);
        }
      } while (cursor !== null && pages < 20);
      expect(pages).toBe(Math.ceil(created.length / 7));
      expect(seen).toHaveLength(created.length);
      expect(new Set(seen.map((t) => t.id)).size).toBe(created.length);
      expect(seen.map((t) => t.id).sort()).toEqual(created.map((t) => t.id).sort());
      expectNewestFirst(seen);
      // The newest token of the workspace comes first.
      const newest = [...created].sort((a, b) =>
        a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
      )[0]!;
      expect(seen[0]!.id).toBe(newest.id);
    });

    it('answers nextCursor null when the last page is exactly full', async () => {
      const first = await page(`?limit=${created.length - 5}`);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const last = await page(`?limit=5&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(last.body.data).toHaveLength(5);
      expect(last.body.nextCursor).toBeNull();
    });

    it('uses 50 as the default limit', async () => {
      const res = await page('');
      expect(res.body.data).toHaveLength(50);
      expect(res.body.nextCursor).toEqual(expect.any(String));
    });

    it('takes limit=1 and limit=200', async () => {
      expect((await page('?limit=1')).body.data).toHaveLength(1);
      const max = await page('?limit=200');
      expect(max.status).toBe(200);
      expect(max.body.data).toHaveLength(created.length);
      expect(max.body.nextCursor).toBeNull();
    });

    it.each(['0', '201', '-1', '1.5', 'abc', '1e3'])('answers 400 for limit=%s', async (limit) => {
      expectInvalid(await page(`?limit=${limit}`), 'limit');
    });

    it.each([
      ['garbage', 'not-a-cursor'],
      ['valid base64 of something else', Buffer.from('{"t":1}').toString('base64url')],
      ['a cursor of the wrong arity', Buffer.from('["2024-01-01T00:00:00.000Z"]').toString('base64url')],
      ['an overlong value', 'A'.repeat(600)],
    ])('answers 400 for a bad cursor (%s)', async (_label, cursor) => {
      expectInvalid(await page(`?limit=5&cursor=${encodeURIComponent(cursor)}`), 'cursor');
    });

    it('is the same for the admin list', async () => {
      const first = await admin('GET', '/admin/v1/workspaces/ws_page/tokens?limit=50');
      expect(first.body.data).toHaveLength(50);
      const rest = await admin(
        'GET',
        `/admin/v1/workspaces/ws_page/tokens?limit=50&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      );
      expect(rest.body.data).toHaveLength(created.length - 50);
      expect(rest.body.nextCursor).toBeNull();
      expectInvalid(await admin('GET', '/admin/v1/workspaces/ws_page/tokens?limit=201'), 'limit');
      expectInvalid(await admin('GET', '/admin/v1/workspaces/ws_page/tokens?cursor=xyz'), 'cursor');
    });
  });

  describe('POST /api/v1/tokens', () => {
    it("creates a token for the caller's workspace and user, usable at once", async () => {
      const caller = await adminCreate('ws_post', { userId: 'user_9' });
      const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
        token: caller.token,
        body: { name: 'from the API' },
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(CREATED_KEYS);
      expect(res.body).toMatchObject({
        name: 'from the API',
        workspaceId: 'ws_post',
        userId: 'user_9',
        scopes: ALL_SCOPES,
        expiresAt: null,
      });
      expect(res.body.id).toMatch(TOKEN_ID);
      expect(res.body.token).toMatch(PLAINTEXT);
      const me = await http(app.baseUrl, 'GET', '/api/v1/me', { token: res.body.token });
      expect(me.body).toMatchObject({ tokenId: res.body.id, workspaceId: 'ws_post', userId: 'user_9' });
      const list = await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: caller.token });
      expect(list.body.data.map((t: Listed) => t.id)).toContain(res.body.id);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a missing name', {}, 'name'],
      ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
      ['an unknown scope', { name: 'x', scopes: ['everything'] }, 'scopes'],
      ['an expiresAt that is not a date', { name: 'x', expiresAt: 12345 }, 'expiresAt'],
      [
        'an expiresAt in the past',
        { name: 'x', expiresAt: new Date(Date.now() - 1000).toISOString() },
        'expiresAt',
      ],
      ['a userId (not the caller\u2019s to choose)', { name: 'x', userId: 'user_other' }, 'userId'],
      [
        'a workspaceId (not the caller\u2019s to choose)',
        { name: 'x', workspaceId: 'ws_other' },
        'workspaceId',
      ],
    ])('answers 400 naming the field for %s', async (_label, body, field) => {
      const caller = await adminCreate('ws_post_invalid');
      expectInvalid(await http(app.baseUrl, 'POST', '/api/v1/tokens', { token: caller.token, body }), field);
      const list = await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: caller.token });
      expect(list.body.data.map((t: Listed) => t.id)).toEqual([caller.id]);
      await admin('DELETE', `/admin/v1/workspaces/ws_post_invalid/tokens/${caller.id}`);
    });

    it('answers 400 for a broken JSON body', async () => {
      const caller = await adminCreate('ws_post');
      expectError(
        await http(app.baseUrl, 'POST', '/api/v1/tokens', { token: caller.token, rawBody: '{' }),
        400,
        'Bad Request',
      );
    });

    // ISO 8601 forms that class-validator's IsISO8601 accepts but JavaScript's Date cannot read.
    it.each(['2099-W01-1', '20990101T000000Z', '2099-01-01T00:00:00,5Z', '2099-01-01T00Z'])(
      'answers 400 (never a 500) for expiresAt %s',
      async (expiresAt) => {
        const caller = await adminCreate('ws_post');
        const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', {
          token: caller.token,
          body: { name: 'odd date', expiresAt },
        });
        expectInvalid(res, 'expiresAt');
        const viaAdmin = await admin('POST', '/admin/v1/workspaces/ws_post/tokens', {
          name: 'odd date',
          userId: 'user_1',
          expiresAt,
        });
        expectInvalid(viaAdmin, 'expiresAt');
      },
    );

    it('answers 400 (never a 500) for a deeply nested body', async () => {
      const caller = await adminCreate('ws_post');
      const depth = 5000;
      for (const rawBody of [
        `{"name":"deep","x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        `{"name":"deep","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      ]) {
        const res = await http(app.baseUrl, 'POST', '/api/v1/tokens', { token: caller.token, rawBody });
        expectError(res, 400, 'Bad Request');
      }
    });
  });

  describe('DELETE /api/v1/tokens/{id}', () => {
    it('revokes another token of the workspace (204) with immediate effect', async () => {
      const caller = await adminCreate('ws_del');
      const target = await adminCreate('ws_del');
      const res = await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${target.id}`, { token: caller.token });
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: target.token })).status).toBe(401);
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: caller.token })).status).toBe(200);
    });

    it('lets a token revoke itself without tokens:write', async () => {
      const self = await adminCreate('ws_del', { scopes: ['webhooks:read'] });
      expect(
        (await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${self.id}`, { token: self.token })).status,
      ).toBe(204);
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: self.token })).status).toBe(401);
      const all = await admin('GET', '/admin/v1/workspaces/ws_del/tokens?includeRevoked=true');
      expect(all.body.data.find((t: Listed) => t.id === self.id).revokedAt).toMatch(ISO_UTC);
    });

    it('refuses (403, naming tokens:write) to revoke another token without tokens:write', async () => {
      const caller = await adminCreate('ws_del', { scopes: ['tokens:read'] });
      const target = await adminCreate('ws_del');
      const res = await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${target.id}`, { token: caller.token });
      expectError(res, 403, 'Forbidden');
      expect(res.body.message).toContain('tokens:write');
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: target.token })).status).toBe(200);
    });

    it("answers 404 for another workspace's token id, and leaves that token working", async () => {
      const caller = await adminCreate('ws_del');
      const foreign = await adminCreate('ws_del_foreign');
      expectError(
        await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${foreign.id}`, { token: caller.token }),
        404,
        'Not Found',
      );
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: foreign.token })).status).toBe(200);
      const list = await http(app.baseUrl, 'GET', '/api/v1/tokens', { token: foreign.token });
      expect(list.body.data.find((t: Listed) => t.id === foreign.id).revokedAt).toBeNull();
    });

    it("answers 404 the same way for a missing token and another workspace's, so existence never leaks", async () => {
      const caller = await adminCreate('ws_del');
      const foreign = await adminCreate('ws_del_foreign');
      const missing = await http(app.baseUrl, 'DELETE', '/api/v1/tokens/tok_00000000000000000000000000', {
        token: caller.token,
      });
      const other = await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${foreign.id}`, {
        token: caller.token,
      });
      expect(other.status).toBe(missing.status);
      expect(other.body).toEqual(missing.body);
    });

    it.each(['tok_00000000000000000000000000', 'tok_short', 'garbage', '%20'])(
      'answers 404 for the unknown id %s',
      async (id) => {
        const caller = await adminCreate('ws_del');
        expectError(
          await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${id}`, { token: caller.token }),
          404,
          'Not Found',
        );
      },
    );

    it('answers 409 for a token already revoked', async () => {
      const caller = await adminCreate('ws_del');
      const target = await adminCreate('ws_del');
      expect(
        (await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${target.id}`, { token: caller.token })).status,
      ).toBe(204);
      expectError(
        await http(app.baseUrl, 'DELETE', `/api/v1/tokens/${target.id}`, { token: caller.token }),
        409,
        'Conflict',
      );
    });
  });

  describe('errors in general', () => {
    it('answers an unknown route with 404 in the error shape', async () => {
      const caller = await adminCreate('ws_err');
      expectError(
        await http(app.baseUrl, 'GET', '/api/v1/nothing-here', { token: caller.token }),
        404,
        'Not Found',
      );
      expectError(await http(app.baseUrl, 'GET', '/nothing-here'), 404, 'Not Found');
    });

    it('echoes a request id', async () => {
      const res = await http(app.baseUrl, 'GET', '/health', { headers: { 'x-request-id': 'req-abc_123' } });
      expect(res.headers.get('x-request-id')).toBe('req-abc_123');
    });
  });

  describe('health and documentation', () => {
    it('GET /health answers {"status":"ok"} without a credential', async () => {
      const res = await http(app.baseUrl, 'GET', '/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('GET /health/ready answers 200 when both stores answer', async () => {
      const res = await http(app.baseUrl, 'GET', '/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok' });
    });

    it('GET /api-docs serves the Swagger UI as HTML', async () => {
      const res = await fetch(`${app.baseUrl}/api-docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toMatch(/swagger-ui/i);
    });

    describe('GET /api-docs-json', () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let doc: any;
      beforeAll(async () => {
        const res = await http(app.baseUrl, 'GET', '/api-docs-json');
        expect(res.status).toBe(200);
        doc = res.body;
      });

      const ref = (name: string) => `#/components/schemas/${name}`;
      const schemaOf = (path: string, method: string, status: string) =>
        doc.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;

      it('is an OpenAPI 3 document with bearer security schemes for tokens and the admin key', () => {
        expect(doc.openapi).toMatch(/^3\./);
        expect(doc.info.title).toEqual(expect.any(String));
        const schemes = doc.components.securitySchemes;
        const bearers = Object.values(schemes).filter((s: any) => s.type === 'http' && s.scheme === 'bearer'); // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(bearers.length).toBeGreaterThanOrEqual(2);
        // Neither credential is a JWT (the library's default hint).
        for (const b of bearers) expect((b as { bearerFormat?: string }).bearerFormat).not.toBe('JWT');
      });

      it.each([
        ['/api/v1/me', 'get'],
        ['/api/v1/tokens', 'get'],
        ['/api/v1/tokens', 'post'],
        ['/api/v1/tokens/{id}', 'delete'],
        ['/admin/v1/workspaces/{workspaceId}/tokens', 'get'],
        ['/admin/v1/workspaces/{workspaceId}/tokens', 'post'],
        ['/admin/v1/workspaces/{workspaceId}/tokens/{id}', 'delete'],
        ['/health', 'get'],
        ['/health/ready', 'get'],
      ])('documents %s %s', (path, method) => {
        expect(doc.paths[path]?.[method]).toBeDefined();
      });

      it('requires a bearer scheme on every token and admin route', () => {
        const schemes = doc.components.securitySchemes;
        for (const [path, item] of Object.entries<Record<string, { security?: Record<string, unknown>[] }>>(
          doc.paths,
        )) {
          if (!path.startsWith('/api/v1') && !path.startsWith('/admin/v1')) continue;
          for (const [method, op] of Object.entries(item)) {
            const names = (op.security ?? []).flatMap((s) => Object.keys(s));
            expect({ route: `${method} ${path}`, secured: names.length > 0 }).toEqual({
              route: `${method} ${path}`,
              secured: true,
            });
            for (const name of names) expect(schemes[name]).toMatchObject({ type: 'http', scheme: 'bearer' });
          }
        }
        expect(doc.paths['/api/v1/tokens'].get.security).not.toEqual(
          doc.paths['/admin/v1/workspaces/{workspaceId}/tokens'].get.security,
        );
      });

      it('gives the token routes response schemas', () => {
        expect(schemaOf('/api/v1/me', 'get', '200')).toEqual({ $ref: ref('MeDto') });
        expect(schemaOf('/api/v1/tokens', 'get', '200')).toEqual({ $ref: ref('TokenPageDto') });
        expect(schemaOf('/api/v1/tokens', 'post', '201')).toEqual({ $ref: ref('CreatedTokenDto') });
        expect(doc.paths['/api/v1/tokens/{id}'].delete.responses['204']).toBeDefined();
        expect(schemaOf('/admin/v1/workspaces/{workspaceId}/tokens', 'post', '201')).toEqual({
          $ref: ref('CreatedTokenDto'),
        });
        expect(schemaOf('/admin/v1/workspaces/{workspaceId}/tokens', 'get', '200')).toEqual({
          $ref: ref('TokenPageDto'),
        });
        const created = doc.components.schemas.CreatedTokenDto;
        expect(Object.keys(created.properties).sort()).toEqual(CREATED_KEYS);
        const page = doc.components.schemas.TokenPageDto;
        expect(Object.keys(page.properties).sort()).toEqual(['data', 'nextCursor']);
        expect(Object.keys(doc.components.schemas.TokenDto.properties)).not.toContain('token');
        expect(Object.keys(doc.components.schemas.MeDto.properties).sort()).toEqual(ME_KEYS);
      });

      it('documents the error answers in the error shape', () => {
        expect(schemaOf('/api/v1/tokens', 'post', '401')).toEqual({ $ref: ref('ErrorResponseDto') });
        expect(schemaOf('/api/v1/tokens', 'post', '403')).toEqual({ $ref: ref('ErrorResponseDto') });
        expect(schemaOf('/api/v1/tokens', 'post', '400')).toEqual({ $ref: ref('ErrorResponseDto') });
        expect(schemaOf('/api/v1/tokens/{id}', 'delete', '404')).toEqual({ $ref: ref('ErrorResponseDto') });
        expect(Object.keys(doc.components.schemas.ErrorResponseDto.properties).sort()).toEqual([
          'details',
          'error',
          'message',
          'statusCode',
        ]);
      });

      it('documents the request bodies and list parameters', () => {
        expect(doc.paths['/api/v1/tokens'].post.requestBody.content['application/json'].schema).toEqual({
          $ref: ref('CreateTokenDto'),
        });
        const params = doc.paths['/api/v1/tokens'].get.parameters.map((p: { name: string }) => p.name);
        expect(params).toEqual(expect.arrayContaining(['limit', 'cursor', 'includeRevoked']));
      });
    });
  });
});
