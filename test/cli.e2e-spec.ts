import { AdminClient } from '../apps/cli/src/admin-client.js';
import { createToken } from '../libs/testing/src/receiver.js';
import { type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

describe('admin CLI client (e2e)', () => {
  let app: RunningTestApp;

  beforeAll(async () => {
    app = await startTestApp();
    await createToken(app, 'ws_cli');
  });

  afterAll(() => app.close());

  it('reads the history, streams NDJSON and drives a rebuild to completion', async () => {
    const client = AdminClient.fromEnvironment({ url: app.baseUrl, key: app.adminKey });
    const page = await client.request<{ data: { type: string }[] }>('GET', '/admin/v1/audit/events?limit=10');
    expect(page.data.map((e) => e.type)).toContain('TokenCreated');
    const lines: string[] = [];
    await client.stream('/admin/v1/audit/events?format=ndjson', (l) => lines.push(l));
    expect(lines.map((l) => JSON.parse(l).type)).toContain('TokenCreated');
    const started = await client.request<{ toGeneration: number }>('POST', '/admin/v1/projections/rebuild');
    for (let i = 0; i < 100; i++) {
      const s = await client.request<{ generation: number; rebuild: { status: string } }>(
        'GET',
        '/admin/v1/projections',
      );
      if (s.rebuild.status === 'done') {
        expect(s.generation).toBe(started.toGeneration);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('rebuild did not finish');
  });

  it('reads the admin key from DATA_DIR and reports HTTP errors with their status', async () => {
    const saved = { dir: process.env.DATA_DIR, key: process.env.ADMIN_API_KEY };
    process.env.DATA_DIR = app.dataDir;
    delete process.env.ADMIN_API_KEY;
    try {
      const client = AdminClient.fromEnvironment({ url: app.baseUrl });
      await expect(
        client.request('POST', '/admin/v1/workspaces/ws_cli/endpoints/ep_nope/recover', {
          since: '2026-01-01T00:00:00Z',
        }),
      ).rejects.toThrow(/404/);
      await expect(
        new AdminClient(app.baseUrl, 'wrong-key-wrong-key-wrong').request('GET', '/admin/v1/projections'),
      ).rejects.toThrow(/401/);
    } finally {
      if (saved.dir === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = saved.dir;
      if (saved.key !== undefined) process.env.ADMIN_API_KEY = saved.key;
    }
  });
});
