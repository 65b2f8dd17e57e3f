/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Two service processes on one pair of stores (the embedded SQLite files in one shared DATA_DIR,
 * plus the same MongoDB database when MONGO_URL is set), both dispatching. One of them is killed
 * with SIGKILL in the middle of 500 publishes: every delivery still arrives, no delivery is
 * attempted twice at the same time, and duplicates are limited to attempts the crash interrupted.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  overlappingAttempts,
  startTimingReceiver,
  type TimingReceiver,
} from './support/multi-process-receiver.js';
import { MAIN_JS, type ServiceProcess, startService, withDatabase } from './support/multi-process-service.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKSPACE = 'ws_mp';
const EVENTS = 500;
const CONCURRENCY = 8;
const KILL_AFTER_PUBLISHES = 250;
const KILL_AFTER_DELIVERIES = 150;
const MAX_DUPLICATES = 64;

interface Published {
  eventId: string;
  deliveryIds: string[];
}

async function post(
  baseUrl: string,
  path: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two service processes on shared stores (e2e)', () => {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const adminKey = `mp-admin-${randomBytes(24).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'wm-mp-'));
  const services: ServiceProcess[] = [];
  let receiver: TimingReceiver | undefined;

  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_DISPATCH_POLL_MS: '100',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_FACTOR: '2',
    WEBHOOK_TIMEOUT_MS: '2000',
    // With MONGO_URL (CI's second run: FerretDB) both processes share one MongoDB database too.
    ...(process.env.MONGO_URL
      ? { MONGO_URL: withDatabase(process.env.MONGO_URL, `wm_mp_${runId}`) }
      : { MONGO_URL: '' }),
  };

  beforeAll(() => {
    if (!existsSync(join(ROOT, MAIN_JS))) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.kill()));
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event exactly once-ish while one of two processes is SIGKILLed', async () => {
    const started = Date.now();
    receiver = await startTimingReceiver(20);
    const a = await startService('A', env, { cwd: ROOT });
    services.push(a);
    const b = await startService('B', env, { cwd: ROOT });
    services.push(b);

    const tokenRes = await post(a.baseUrl, `/admin/v1/workspaces/${WORKSPACE}/tokens`, adminKey, {
      name: 'multi-process e2e',
      userId: 'user_mp',
    });
    expect(tokenRes.status).toBe(201);
    const token = tokenRes.body.token as string;
    const endpointRes = await post(a.baseUrl, '/api/v1/webhooks/endpoints', token, {
      url: receiver.url,
      events: ['payment.succeeded'],
    });
    expect(endpointRes.status).toBe(201);

    // Publish, alternating A and B, with bounded concurrency; kill B half way through.
    const published: Published[] = [];
    const retriedViaA: number[] = [];
    let killedAt: number | undefined;
    let inFlightAtKill = 0;
    let publishedCount = 0;
    let next = 0;
    let killing: Promise<void> | undefined;

    const killB = async (): Promise<void> => {
      killing ??= (async () => {
        await b.kill();
        killedAt = performance.now();
        inFlightAtKill = receiver!.requests.filter((r) => r.end === undefined || r.end >= killedAt!).length;
      })();
      await killing;
    };

    const publishOne = async (n: number): Promise<void> => {
      // The same idempotencyKey on a retry through A: if B had committed the event before dying, A
      // answers with B's eventId instead of publishing a second event.
      const body = { type: 'payment.succeeded', data: { n }, idempotencyKey: `mp-${runId}-${n}` };
      let target = n % 2 === 1 && !b.exited() && !killing ? b : a;
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await post(target.baseUrl, `/admin/v1/workspaces/${WORKSPACE}/events`, adminKey, body);
          if (res.status === 202) {
            published.push(res.body as Published);
            return;
          }
          if (target === a || attempt > 5) throw new Error(`publish ${n} via ${target.name}: ${res.status}`);
        } catch (error) {
          if (target === a && attempt > 5) throw error;
        }
        if (target === b) retriedViaA.push(n);
        target = a;
        await sleep(50);
      }
    };

    const worker = async (): Promise<void> => {
      while (next < EVENTS) {
        const n = next++;
        await publishOne(n);
        publishedCount++;
        if (
          !killing &&
          (publishedCount >= KILL_AFTER_PUBLISHES || receiver!.requests.length >= KILL_AFTER_DELIVERIES)
        ) {
          void killB();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
    await killB();
    const publishDoneAt = Date.now();

    expect(published).toHaveLength(EVENTS);
    const expectedEvents = new Set(published.map((p) => p.eventId));
    const expectedDeliveries = new Set(published.flatMap((p) => p.deliveryIds));
    expect(expectedDeliveries.size).toBe(expectedEvents.size);

    // Every event published with a 202 arrives at least once.
    const missingEvents = (): string[] => {
      const seen = new Set(receiver!.requests.map((r) => r.eventId));
      return [...expectedEvents].filter((id) => !seen.has(id));
    };
    const deadline = Date.now() + 90_000;
    while (missingEvents().length > 0 && Date.now() < deadline) await sleep(200);
    // Let in-flight and late retries settle, so duplicates caused by the crash get counted too.
    await sleep(1_000);
    const missing = missingEvents();
    if (missing.length > 0) {
      console.log(
        `missing ${missing.length} event(s), e.g. ${missing.slice(0, 5).join(', ')}\nA:\n${a.output.join('')}`,
      );
    }
    expect(missing).toEqual([]);
    const receivedDeliveries = new Set(receiver.requests.map((r) => r.deliveryId));
    expect([...expectedDeliveries].filter((id) => !receivedDeliveries.has(id))).toEqual([]);

    // No delivery is ever attempted twice in parallel.
    const overlaps = overlappingAttempts(receiver.requests);
    if (overlaps.length > 0) console.log('overlapping attempts', JSON.stringify(overlaps.slice(0, 5)));
    expect(overlaps).toEqual([]);

    // Duplicates only where the crash interrupted an attempt.
    const perDelivery = new Map<string, number>();
    for (const r of receiver.requests)
      perDelivery.set(r.deliveryId, (perDelivery.get(r.deliveryId) ?? 0) + 1);
    const duplicated = [...perDelivery.entries()].filter(([, count]) => count > 1);
    const duplicates = duplicated.reduce((sum, [, count]) => sum + count - 1, 0);
    console.log(
      `multi-process: ${receiver.requests.length} requests for ${expectedDeliveries.size} deliveries, ` +
        `duplicates=${duplicates} (${duplicated.length} deliveries), in flight at the kill=${inFlightAtKill}, ` +
        `publishes retried via A=${retriedViaA.length}, publish phase ${publishDoneAt - started} ms, ` +
        `total ${Date.now() - started} ms`,
    );
    expect(duplicates).toBeLessThanOrEqual(MAX_DUPLICATES);
    const unexpected = [...receivedDeliveries].filter((id) => !expectedDeliveries.has(id));
    expect(unexpected.length).toBeLessThanOrEqual(retriedViaA.length);

    // The delivery log, read through the surviving process, agrees with what the receiver saw.
    const sampleId = duplicated[0]?.[0] ?? [...expectedDeliveries][0]!;
    let delivery: any;
    const logDeadline = Date.now() + 10_000;
    for (;;) {
      const res = await fetch(`${a.baseUrl}/api/v1/webhooks/deliveries/${sampleId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      delivery = await res.json();
      if ((res.status === 200 && delivery.status === 'succeeded') || Date.now() > logDeadline) break;
      await sleep(100);
    }
    expect(delivery).toMatchObject({ id: sampleId, status: 'succeeded' });
    const sampleRequests = receiver.requests.filter((r) => r.deliveryId === sampleId);
    expect(delivery.eventId).toBe(sampleRequests[0]!.eventId);
    expect(delivery.attempts.length).toBeGreaterThanOrEqual(1);
    expect(delivery.attemptCount).toBe(delivery.attempts.length);
    expect(delivery.attempts.at(-1).responseStatus).toBe(200);
  }, 180_000);
});
