/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type CreatedApp } from '../../../apps/api/src/create-app.js';

export interface RunningTestApp extends CreatedApp {
  baseUrl: string;
  adminKey: string;
  dataDir: string;
  env: Record<string, string>;
  /** Every log line the service wrote, for "no secret in the logs" assertions. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Starts the whole service in-process on a random port over real HTTP, on a fresh DATA_DIR unless
 * one is given (pass the previous dataDir to simulate a restart).
 */
/**
 * Each test app gets a database of its own, named after its DATA_DIR: the embedded event store
 * lives in DATA_DIR, so read models and checkpoints must not be shared with another app's store.
 * A restart on the same DATA_DIR finds the same database again.
 */
export function mongoUrlFor(base: string, dataDir: string): string {
  const url = new URL(base);
  const db = (url.pathname.replace(/^\//, '') || 'whatsmine').slice(0, 20);
  url.pathname = `/${db}_${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
  return url.toString();
}

export async function startTestApp(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<RunningTestApp> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'wm-e2e-'));
  const fullEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: dir,
    PORT: '0',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...(process.env.MONGO_URL ? { MONGO_URL: mongoUrlFor(process.env.MONGO_URL, dir) } : {}),
    ...(process.env.EVENTSTORE_URL ? { EVENTSTORE_URL: process.env.EVENTSTORE_URL } : {}),
    ...env,
  };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const created = await createApp({ env: fullEnv, logDestination: sink });
  await created.app.listen(0, '127.0.0.1');
  const address = created.app.getHttpServer().address() as { port: number };
  return {
    ...created,
    baseUrl: `http://127.0.0.1:${address.port}`,
    adminKey: created.keys.adminApiKey,
    dataDir: dir,
    env: fullEnv,
    logs,
    close: () => created.app.close(),
  };
}

/** Small fetch wrapper: JSON in, `{status, headers, body}` out. */
export async function http(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
