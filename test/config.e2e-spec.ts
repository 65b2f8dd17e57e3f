/**
 * Start-up configuration, in-process through createApp with an explicit environment: production
 * refuses to start without its keys, a bad value stops the start naming the variable, and in
 * development the keys are generated into DATA_DIR (mode 0600) once and reused afterwards.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type CreatedApp } from '../apps/api/src/create-app.js';

const ADMIN_KEY = 'prod-admin-key-0123456789abcdefghij';
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

const createdDirs: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wm-config-'));
  createdDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
});

function sink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
}

/** Starts the service with exactly this environment (nothing from process.env), listening on a random port. */
async function start(
  env: Record<string, string>,
  logs: string[] = [],
): Promise<CreatedApp & { baseUrl: string }> {
  const created = await createApp({
    env: { PORT: '0', LOG_LEVEL: 'info', ...env },
    logDestination: sink(logs),
  });
  await created.app.listen(0, '127.0.0.1');
  const { port } = created.app.getHttpServer().address() as { port: number };
  return { ...created, baseUrl: `http://127.0.0.1:${port}` };
}

/** The start must fail; returns the error it failed with. */
async function startFails(env: Record<string, string>): Promise<Error> {
  let created: CreatedApp | undefined;
  try {
    created = await createApp({ env, logDestination: sink([]) });
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  await created.app.close();
  throw new Error(`the service started although it should have refused: ${JSON.stringify(env)}`);
}

async function adminStatus(baseUrl: string, key: string): Promise<number> {
  const res = await fetch(`${baseUrl}/admin/v1/workspaces/ws_cfg/tokens`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return res.status;
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('configuration (e2e)', () => {
  const running: CreatedApp[] = [];
  afterEach(async () => {
    while (running.length > 0) await running.pop()!.app.close();
  });

  describe('production', () => {
    it('refuses to start without ADMIN_API_KEY, naming it, and generates nothing', async () => {
      const dir = freshDir();
      const error = await startFails({
        NODE_ENV: 'production',
        DATA_DIR: dir,
        DATA_ENCRYPTION_KEY: ENCRYPTION_KEY,
      });
      expect(error.message).toContain('ADMIN_API_KEY');
      expect(readdirSync(dir)).toEqual([]);
    });

    it('refuses to start with a blank ADMIN_API_KEY', async () => {
      const error = await startFails({
        NODE_ENV: 'production',
        DATA_DIR: freshDir(),
        ADMIN_API_KEY: '   ',
        DATA_ENCRYPTION_KEY: ENCRYPTION_KEY,
      });
      expect(error.message).toContain('ADMIN_API_KEY');
    });

    it('refuses to start without DATA_ENCRYPTION_KEY, naming it', async () => {
      const dir = freshDir();
      const error = await startFails({ NODE_ENV: 'production', DATA_DIR: dir, ADMIN_API_KEY: ADMIN_KEY });
      expect(error.message).toContain('DATA_ENCRYPTION_KEY');
      expect(error.message).not.toContain(ADMIN_KEY);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('starts with both keys, uses them, and writes no key file', async () => {
      const dir = freshDir();
      const app = await start({
        NODE_ENV: 'production',
        DATA_DIR: dir,
        ADMIN_API_KEY: ADMIN_KEY,
        DATA_ENCRYPTION_KEY: ENCRYPTION_KEY,
      });
      running.push(app);
      expect(app.config.nodeEnv).toBe('production');
      expect(app.keys.adminApiKey).toBe(ADMIN_KEY);
      expect(app.keys.dataEncryptionKey.equals(Buffer.alloc(32, 7))).toBe(true);
      expect(app.keys.generated).toEqual([]);
      expect(existsSync(join(dir, 'admin-api-key'))).toBe(false);
      expect(existsSync(join(dir, 'data-encryption-key'))).toBe(false);
      expect(await adminStatus(app.baseUrl, ADMIN_KEY)).toBe(200);
      expect(await adminStatus(app.baseUrl, `${ADMIN_KEY}x`)).toBe(401);
    });
  });

  describe('a bad value stops the start, naming the variable', () => {
    it.each<[string, Record<string, string>, string]>([
      ['PORT=abc', { PORT: 'abc' }, 'PORT'],
      ['PORT=70000', { PORT: '70000' }, 'PORT'],
      ['PORT=-1', { PORT: '-1' }, 'PORT'],
      ['WEBHOOK_TIMEOUT_MS=-1', { WEBHOOK_TIMEOUT_MS: '-1' }, 'WEBHOOK_TIMEOUT_MS'],
      ['WEBHOOK_TIMEOUT_MS=0', { WEBHOOK_TIMEOUT_MS: '0' }, 'WEBHOOK_TIMEOUT_MS'],
      ['WEBHOOK_TIMEOUT_MS=1.5', { WEBHOOK_TIMEOUT_MS: '1.5' }, 'WEBHOOK_TIMEOUT_MS'],
      ['WEBHOOK_MAX_ATTEMPTS=many', { WEBHOOK_MAX_ATTEMPTS: 'many' }, 'WEBHOOK_MAX_ATTEMPTS'],
      ['WEBHOOK_MAX_ATTEMPTS=0', { WEBHOOK_MAX_ATTEMPTS: '0' }, 'WEBHOOK_MAX_ATTEMPTS'],
      ['WEBHOOK_RETRY_BASE_MS=-5', { WEBHOOK_RETRY_BASE_MS: '-5' }, 'WEBHOOK_RETRY_BASE_MS'],
      ['WEBHOOK_RETRY_FACTOR=abc', { WEBHOOK_RETRY_FACTOR: 'abc' }, 'WEBHOOK_RETRY_FACTOR'],
      ['WEBHOOK_RETRY_FACTOR=0.5', { WEBHOOK_RETRY_FACTOR: '0.5' }, 'WEBHOOK_RETRY_FACTOR'],
      [
        'WEBHOOK_RETRY_MAX_DELAY_MS=soon',
        { WEBHOOK_RETRY_MAX_DELAY_MS: 'soon' },
        'WEBHOOK_RETRY_MAX_DELAY_MS',
      ],
      ['WEBHOOK_SECRET_OVERLAP_MS=1d', { WEBHOOK_SECRET_OVERLAP_MS: '1d' }, 'WEBHOOK_SECRET_OVERLAP_MS'],
      [
        'WEBHOOK_RESPONSE_BODY_LIMIT=-1',
        { WEBHOOK_RESPONSE_BODY_LIMIT: '-1' },
        'WEBHOOK_RESPONSE_BODY_LIMIT',
      ],
      [
        'WEBHOOK_ALLOW_PRIVATE_NETWORKS=maybe',
        { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe' },
        'WEBHOOK_ALLOW_PRIVATE_NETWORKS',
      ],
      ['MAX_EVENT_PAYLOAD_BYTES=0', { MAX_EVENT_PAYLOAD_BYTES: '0' }, 'MAX_EVENT_PAYLOAD_BYTES'],
      ['MAX_EVENT_PAYLOAD_BYTES=1MB', { MAX_EVENT_PAYLOAD_BYTES: '1MB' }, 'MAX_EVENT_PAYLOAD_BYTES'],
      ['EVENTSTORE_URL=http://…', { EVENTSTORE_URL: 'http://localhost:2113' }, 'EVENTSTORE_URL'],
      ['MONGO_URL=postgres://…', { MONGO_URL: 'postgres://localhost/db' }, 'MONGO_URL'],
      ['NODE_ENV=staging', { NODE_ENV: 'staging' }, 'NODE_ENV'],
      ['ADMIN_API_KEY too short', { ADMIN_API_KEY: 'short-key' }, 'ADMIN_API_KEY'],
      [
        'DATA_ENCRYPTION_KEY of 16 bytes',
        { DATA_ENCRYPTION_KEY: Buffer.alloc(16, 1).toString('base64') },
        'DATA_ENCRYPTION_KEY',
      ],
    ])('%s', async (_label, bad, variable) => {
      const dir = freshDir();
      const error = await startFails({ NODE_ENV: 'development', DATA_DIR: dir, ...bad });
      expect(error.message).toContain(variable);
      // Nothing was generated by a start that was refused.
      expect(readdirSync(dir)).toEqual([]);
    });

    it('does not echo a refused secret in the message', async () => {
      const error = await startFails({
        NODE_ENV: 'development',
        DATA_DIR: freshDir(),
        ADMIN_API_KEY: 'secret-but-short',
      });
      expect(error.message).toContain('ADMIN_API_KEY');
      expect(error.message).not.toContain('secret-but-short');
    });

    it('accepts the same variables with good values (the refusals above are about the values)', async () => {
      const app = await start({
        NODE_ENV: 'development',
        DATA_DIR: freshDir(),
        WEBHOOK_TIMEOUT_MS: '2000',
        WEBHOOK_MAX_ATTEMPTS: '3',
        WEBHOOK_RETRY_FACTOR: '2.5',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        MAX_EVENT_PAYLOAD_BYTES: '1024',
      });
      running.push(app);
      expect(app.config.webhooks).toMatchObject({
        timeoutMs: 2000,
        maxAttempts: 3,
        retryFactor: 2.5,
        allowPrivateNetworks: true,
      });
      expect(app.config.maxEventPayloadBytes).toBe(1024);
    });

    it('uses the documented defaults', async () => {
      const app = await start({ NODE_ENV: 'development', DATA_DIR: freshDir() });
      running.push(app);
      expect(app.config.webhooks).toMatchObject({
        allowPrivateNetworks: false,
        timeoutMs: 15_000,
        maxAttempts: 8,
        retryBaseMs: 30_000,
        retryFactor: 4,
        retryMaxDelayMs: 36_000_000,
        secretOverlapMs: 86_400_000,
        responseBodyLimit: 4096,
      });
      expect(app.config.maxEventPayloadBytes).toBe(262_144);
    });
  });

  describe('development key material', () => {
    it('generates the admin key and the encryption key into DATA_DIR with mode 0600 and reuses them on the next start', async () => {
      const dir = freshDir();
      const logs: string[] = [];
      const first = await start({ NODE_ENV: 'development', DATA_DIR: dir }, logs);
      running.push(first);
      const adminFile = join(dir, 'admin-api-key');
      const keyFile = join(dir, 'data-encryption-key');
      expect(first.keys.generated.sort()).toEqual([adminFile, keyFile].sort());
      expect(first.keys.adminKeyFile).toBe(adminFile);
      expect(mode(adminFile)).toBe(0o600);
      expect(mode(keyFile)).toBe(0o600);
      const adminKey = readFileSync(adminFile, 'utf8').trim();
      expect(adminKey.length).toBeGreaterThanOrEqual(24);
      expect(first.keys.adminApiKey).toBe(adminKey);
      const encryptionKey = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
      expect(encryptionKey).toHaveLength(32);
      expect(first.keys.dataEncryptionKey.equals(encryptionKey)).toBe(true);
      expect(await adminStatus(first.baseUrl, adminKey)).toBe(200);
      const before = { admin: readFileSync(adminFile), key: readFileSync(keyFile) };
      await running.pop()!.app.close();

      const second = await start({ NODE_ENV: 'development', DATA_DIR: dir }, logs);
      running.push(second);
      expect(second.keys.generated).toEqual([]);
      expect(second.keys.adminApiKey).toBe(adminKey);
      expect(second.keys.dataEncryptionKey.equals(encryptionKey)).toBe(true);
      expect(readFileSync(adminFile).equals(before.admin)).toBe(true);
      expect(readFileSync(keyFile).equals(before.key)).toBe(true);
      expect(mode(adminFile)).toBe(0o600);
      expect(await adminStatus(second.baseUrl, adminKey)).toBe(200);

      // The generated key is never written to the log.
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(line).not.toContain(adminKey);
    });

    it('generates two different admin keys for two data directories', async () => {
      const a = await start({ NODE_ENV: 'development', DATA_DIR: freshDir() });
      running.push(a);
      const b = await start({ NODE_ENV: 'development', DATA_DIR: freshDir() });
      running.push(b);
      expect(a.keys.adminApiKey).not.toBe(b.keys.adminApiKey);
      expect(a.keys.dataEncryptionKey.equals(b.keys.dataEncryptionKey)).toBe(false);
      expect(await adminStatus(a.baseUrl, b.keys.adminApiKey)).toBe(401);
    });

    it('prefers an ADMIN_API_KEY from the environment and generates only the encryption key', async () => {
      const dir = freshDir();
      const app = await start({ NODE_ENV: 'development', DATA_DIR: dir, ADMIN_API_KEY: ADMIN_KEY });
      running.push(app);
      expect(app.keys.adminApiKey).toBe(ADMIN_KEY);
      expect(app.keys.adminKeyFile).toBeUndefined();
      expect(existsSync(join(dir, 'admin-api-key'))).toBe(false);
      expect(mode(join(dir, 'data-encryption-key'))).toBe(0o600);
      expect(await adminStatus(app.baseUrl, ADMIN_KEY)).toBe(200);
    });

    it('reuses an admin key file written earlier', async () => {
      const dir = freshDir();
      writeFileSync(join(dir, 'admin-api-key'), 'wmadmin_provisioned-earlier-0123456789\n', { mode: 0o600 });
      const app = await start({ NODE_ENV: 'development', DATA_DIR: dir });
      running.push(app);
      expect(app.keys.adminApiKey).toBe('wmadmin_provisioned-earlier-0123456789');
      expect(app.keys.generated).toEqual([join(dir, 'data-encryption-key')]);
    });

    it('refuses to start on a damaged encryption key file, naming the file', async () => {
      const dir = freshDir();
      writeFileSync(join(dir, 'data-encryption-key'), `${Buffer.alloc(10).toString('base64')}\n`, {
        mode: 0o600,
      });
      const error = await startFails({ NODE_ENV: 'development', DATA_DIR: dir });
      expect(error.message).toContain('data-encryption-key');
    });
  });
});
