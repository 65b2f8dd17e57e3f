/**
 * Revocation with two service processes on one DATA_DIR (embedded SQLite; the same MongoDB
 * database when MONGO_URL is set). Each process caches positive token lookups (embedded mode);
 * a token revoked through one process must be refused by the other on the very next request,
 * although the other has just authenticated it (and so holds it in its cache).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http } from '../libs/testing/src/test-app.js';
import { MAIN_JS, type ServiceProcess, startService, withDatabase } from './support/multi-process-service.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKSPACE = 'ws_mp_revoke';

describe('revocation across two service processes on one DATA_DIR (e2e)', () => {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const adminKey = `mp-admin-${randomBytes(24).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'wm-mp-revoke-'));
  let a: ServiceProcess;
  let b: ServiceProcess;

  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...(process.env.MONGO_URL
      ? { MONGO_URL: withDatabase(process.env.MONGO_URL, `wm_mprev_${runId}`) }
      : { MONGO_URL: '' }),
  };

  const createToken = async (via: ServiceProcess): Promise<{ id: string; token: string }> => {
    const res = await http(via.baseUrl, 'POST', `/admin/v1/workspaces/${WORKSPACE}/tokens`, {
      token: adminKey,
      body: { name: 'two processes', userId: 'user_mp' },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string };
  };
  const me = (via: ServiceProcess, token: string) => http(via.baseUrl, 'GET', '/api/v1/me', { token });

  beforeAll(async () => {
    if (!existsSync(join(ROOT, MAIN_JS))) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    }
    a = await startService('A', env, { cwd: ROOT });
    b = await startService('B', env, { cwd: ROOT });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((s) => s.kill()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['A', 'B'],
    ['B', 'A'],
  ])(
    'a token revoked through %s is refused by %s on the next request (both had just accepted it)',
    async (revoker, checker) => {
      const byName = (name: string) => (name === 'A' ? a : b);
      const [revokeVia, checkVia] = [byName(revoker), byName(checker)];
      const t = await createToken(revokeVia);
      // Both processes authenticate it, more than once: the first use also records lastUsedAt,
      // which drops the token from that process's cache; the later ones put it back.
      for (const via of [checkVia, revokeVia, checkVia, checkVia])
        expect((await me(via, t.token)).status).toBe(200);

      const del = await http(revokeVia.baseUrl, 'DELETE', `/api/v1/tokens/${t.id}`, { token: t.token });
      expect(del.status).toBe(204);

      const next = await me(checkVia, t.token);
      expect(next.status).toBe(401);
      expect(next.body.message).toMatch(/revoked/i);
      expect((await me(revokeVia, t.token)).status).toBe(401);
    },
    30_000,
  );

  it('keeps accepting a token that was not revoked while another one is, in both processes', async () => {
    const kept = await createToken(a);
    const gone = await createToken(b);
    // Twice: the first use also records lastUsedAt, which drops the token from that process's cache.
    for (const via of [a, b, a, b]) {
      expect((await me(via, kept.token)).status).toBe(200);
      expect((await me(via, gone.token)).status).toBe(200);
    }
    expect(
      (
        await http(a.baseUrl, 'DELETE', `/admin/v1/workspaces/${WORKSPACE}/tokens/${gone.id}`, {
          token: adminKey,
        })
      ).status,
    ).toBe(204);
    for (const via of [b, a]) {
      expect((await me(via, gone.token)).status).toBe(401);
      expect((await me(via, kept.token)).status).toBe(200);
    }
  }, 30_000);
});
