import { decodeCursor, newId } from '../../../kernel/src/index.js';
import {
  type ContractFactory,
  type ContractOptions,
  describeContract,
} from '../../../read-store/src/contract/contract-suite.js';
import type { AttemptRecord } from '../domain/delivery.events.js';
import type { DeliveryListQuery, DeliveryReadRepository, DeliveryView } from './delivery-read.repository.js';

const T0 = '2025-03-01T10:00:00.000Z';
/** The dispatcher's clock in the claim cases; every due delivery below is due before it. */
const NOW = new Date('2025-03-01T12:00:00.000Z');
const LEASE_MS = 60_000;

const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

function delivery(overrides: Partial<DeliveryView> = {}): DeliveryView {
  return {
    status: 'pending',
    deliveryId: newId('dlv'),
    endpointId: 'ep_contract_1',
    workspaceId: 'ws_contract_a',
    eventId: newId('evt'),
    eventType: 'message.received',
    attemptCount: 0,
    nextAttemptAt: at(-60_000),
    manual: false,
    createdAt: T0,
    updatedAt: T0,
    test: false,
    recovered: false,
    ...overrides,
  } as DeliveryView;
}

function finished(view: DeliveryView, status: 'succeeded' | 'failed' | 'cancelled'): DeliveryView {
  return {
    ...view,
    status,
    nextAttemptAt: null,
    attemptCount: view.attemptCount + 1,
    updatedAt: at(0),
  } as DeliveryView;
}

function attempt(n: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attempt: n,
    startedAt: at(n * 1000),
    durationMs: 42,
    requestHeaders: {
      'content-type': 'application/json',
      'webhook-id': 'msg_1',
      'webhook-signature': 'v1,abc',
    },
    responseStatus: 500,
    responseHeaders: { 'content-type': 'text/plain' },
    responseBody: 'boom',
    responseBodyTruncated: false,
    error: null,
    ...overrides,
  };
}

async function saveAll(repo: DeliveryReadRepository, views: DeliveryView[]): Promise<void> {
  for (const view of views) await repo.save(view, 0);
}

const idsOf = (views: { deliveryId: string }[]) => views.map((v) => v.deliveryId);
const sorted = (ids: string[]) => [...ids].sort();

/** What every DeliveryReadRepository adapter must do, including atomic leases across instances. */
export function deliveryReadRepositoryContract(
  adapterName: string,
  factory: ContractFactory<DeliveryReadRepository>,
  options: ContractOptions = {},
): void {
  describeContract(`DeliveryReadRepository contract [${adapterName}]`, factory, options, (ctx) => {
    describe('save / get', () => {
      it('stores the view with its revision, exactly as given', async () => {
        const view = delivery({ test: true, recovered: true, manual: true });
        await ctx.subject.save(view, 0);
        expect(await ctx.subject.get(view.deliveryId)).toEqual({ view, revision: 0 });
        expect(await ctx.subject.get(newId('dlv'))).toBeNull();
      });

      it('applies a newer revision and ignores the same revision again or an older one after it', async () => {
        const v0 = delivery();
        const v1 = { ...v0, attemptCount: 1, nextAttemptAt: at(30_000), updatedAt: at(1) };
        const v2 = finished(v1, 'succeeded');
        await ctx.subject.save(v0, 0);
        await ctx.subject.save(v2, 2);
        await ctx.subject.save({ ...v1, eventType: 'replayed' }, 2);
        await ctx.subject.save(v1, 1);
        await ctx.subject.save(v0, 0);
        expect(await ctx.subject.get(v0.deliveryId)).toEqual({ view: v2, revision: 2 });
        expect(await ctx.subject.pendingIdsByEndpoint(v0.endpointId)).toEqual([]);
      });

      it('ends at the newest revision when two instances replay the same history concurrently', async () => {
        const other = await ctx.another();
        const base = delivery({ deliveryId: 'dlv_contract_race' });
        const history = Array.from({ length: 8 }, (_, rev) => ({
          ...base,
          attemptCount: rev,
          nextAttemptAt: at(rev * 1000),
        }));
        await Promise.all([
          (async () => {
            for (const [rev, view] of history.entries()) await ctx.subject.save(view, rev);
          })(),
          (async () => {
            for (const [rev, view] of [...history.entries()].reverse()) await other.save(view, rev);
          })(),
        ]);
        await ctx.settle();
        expect(await ctx.subject.get('dlv_contract_race')).toEqual({ view: history[7], revision: 7 });
      });
      it('ends at the newest revision when three instances apply revisions in different orders at once', async () => {
        const instances = [ctx.subject, await ctx.another(), await ctx.another()];
        const base = delivery({ deliveryId: 'dlv_contract_race3' });
        const history = Array.from({ length: 10 }, (_, rev) => ({
          ...base,
          attemptCount: rev,
          nextAttemptAt: at(rev * 1000),
        }));
        const orders = [
          [...history.keys()],
          [...history.keys()].reverse(),
          [...history.keys()].sort((a, b) => (a % 3) - (b % 3) || a - b),
        ];
        await Promise.all(
          instances.map(async (repo, i) => {
            for (const rev of orders[i]!) await repo.save(history[rev]!, rev);
          }),
        );
        for (const repo of instances)
          expect(await repo.get('dlv_contract_race3')).toEqual({ view: history[9], revision: 9 });
      });
    });

    describe('attempts / findById', () => {
      it('returns the view with its attempts in attempt order, for its own workspace only', async () => {
        const view = delivery();
        await ctx.subject.save(view, 0);
        await ctx.subject.addAttempt(view.deliveryId, attempt(2));
        await ctx.subject.addAttempt(view.deliveryId, attempt(1));
        const found = await ctx.subject.findById('ws_contract_a', view.deliveryId);
        expect(found).toEqual({ ...view, attempts: [attempt(1), attempt(2)] });
        expect(await ctx.subject.findById('ws_contract_b', view.deliveryId)).toBeNull();
        expect(await ctx.subject.findById('ws_contract_a', newId('dlv'))).toBeNull();
      });

      it('answers an empty attempt list before the first attempt', async () => {
        const view = delivery();
        await ctx.subject.save(view, 0);
        expect((await ctx.subject.findById('ws_contract_a', view.deliveryId))!.attempts).toEqual([]);
      });

      it('stores one attempt once, however often it is applied', async () => {
        const view = delivery();
        await ctx.subject.save(view, 0);
        const other = await ctx.another();
        await ctx.subject.addAttempt(view.deliveryId, attempt(1));
        await Promise.all([
          ctx.subject.addAttempt(view.deliveryId, attempt(1, { responseBody: 'replayed' })),
          other.addAttempt(view.deliveryId, attempt(1)),
        ]);
        await ctx.settle();
        expect((await ctx.subject.findById('ws_contract_a', view.deliveryId))!.attempts).toEqual([
          attempt(1),
        ]);
      });

      it('keeps any header name, including "." and a leading "$", and null responses', async () => {
        const view = delivery();
        await ctx.subject.save(view, 0);
        const odd = attempt(1, {
          requestHeaders: { 'x.dotted.name': 'a', $dollar: 'b', 'webhook-id': 'msg_2' },
          responseHeaders: { 'x.server.version': '1.2', $weird: '$value.with.dots' },
        });
        const timeout = attempt(2, {
          responseStatus: null,
          responseHeaders: null,
          responseBody: null,
          error: 'timeout after 15000 ms',
        });
        await ctx.subject.addAttempt(view.deliveryId, odd);
        await ctx.subject.addAttempt(view.deliveryId, timeout);
        expect((await ctx.subject.findById('ws_contract_a', view.deliveryId))!.attempts).toEqual([
          odd,
          timeout,
        ]);
      });
    });

    describe('listByEndpoint', () => {
      const query = (overrides: Partial<DeliveryListQuery> = {}): DeliveryListQuery => ({
        workspaceId: 'ws_contract_a',
        endpointId: 'ep_contract_1',
        limit: 10,
        ...overrides,
      });

      it('lists one endpoint of one workspace newest first, filtered by status and event type', async () => {
        const a = delivery({ createdAt: '2025-03-01T10:00:00.000Z' });
        const b = finished(
          delivery({ createdAt: '2025-03-01T11:00:00.000Z', eventType: 'order.created' }),
          'succeeded',
        );
        const c = finished(delivery({ createdAt: '2025-03-01T12:00:00.000Z' }), 'failed');
        const otherEndpoint = delivery({ endpointId: 'ep_contract_2' });
        const otherWorkspace = delivery({ workspaceId: 'ws_contract_b' });
        await saveAll(ctx.subject, [a, b, c, otherEndpoint, otherWorkspace]);

        expect(idsOf((await ctx.subject.listByEndpoint(query())).data)).toEqual(idsOf([c, b, a]));
        expect(idsOf((await ctx.subject.listByEndpoint(query({ status: 'pending' }))).data)).toEqual(
          idsOf([a]),
        );
        expect(idsOf((await ctx.subject.listByEndpoint(query({ status: 'succeeded' }))).data)).toEqual(
          idsOf([b]),
        );
        expect(
          idsOf((await ctx.subject.listByEndpoint(query({ eventType: 'message.received' }))).data),
        ).toEqual(idsOf([c, a]));
        expect(
          idsOf(
            (await ctx.subject.listByEndpoint(query({ eventType: 'message.received', status: 'failed' })))
              .data,
          ),
        ).toEqual(idsOf([c]));
        expect((await ctx.subject.listByEndpoint(query({ workspaceId: 'ws_contract_b' }))).data).toEqual([
          otherWorkspace,
        ]);
        expect((await ctx.subject.listByEndpoint(query({ workspaceId: 'ws_contract_c' }))).data).toEqual([]);
        const [first] = (await ctx.subject.listByEndpoint(query({ status: 'failed' }))).data;
        expect(first).toEqual(c);
      });

      it('pages through deliveries with equal createdAt without repeating or skipping any', async () => {
        const same = Array.from({ length: 6 }, () => delivery());
        const older = delivery({ createdAt: '2025-03-01T09:00:00.000Z' });
        await saveAll(ctx.subject, [...same, older]);
        const seen: string[] = [];
        const sizes: number[] = [];
        let cursor: DeliveryListQuery['cursor'];
        for (let i = 0; i < 10; i++) {
          const page = await ctx.subject.listByEndpoint(query({ limit: 4, cursor }));
          sizes.push(page.data.length);
          seen.push(...idsOf(page.data));
          if (!page.nextCursor) break;
          cursor = decodeCursor(page.nextCursor);
        }
        expect(sizes).toEqual([4, 3]);
        expect(seen).toEqual([...sorted(idsOf(same)).reverse(), older.deliveryId]);
      });

      it('pages with a status filter too', async () => {
        const pending = Array.from({ length: 3 }, () => delivery());
        const done = Array.from({ length: 3 }, () => finished(delivery(), 'succeeded'));
        await saveAll(ctx.subject, [...pending, ...done]);
        const first = await ctx.subject.listByEndpoint(query({ status: 'succeeded', limit: 2 }));
        const second = await ctx.subject.listByEndpoint(
          query({ status: 'succeeded', limit: 2, cursor: decodeCursor(first.nextCursor!) }),
        );
        expect(sorted([...idsOf(first.data), ...idsOf(second.data)])).toEqual(sorted(idsOf(done)));
        expect(second.nextCursor).toBeNull();
      });
    });

    describe('claimDue', () => {
      it('leases due pending deliveries, earliest first, up to the limit', async () => {
        const late = delivery({ nextAttemptAt: at(-1_000) });
        const early = delivery({ nextAttemptAt: at(-50_000) });
        const middle = delivery({ nextAttemptAt: at(-20_000) });
        const exactlyNow = delivery({ nextAttemptAt: at(0) });
        await saveAll(ctx.subject, [late, early, middle, exactlyNow]);

        // Which ones are claimed follows nextAttemptAt; the order of the returned list is not promised.
        const claimed = await ctx.subject.claimDue(NOW, 3, LEASE_MS, 'owner-a', []);
        expect(sorted(claimed.map((c) => c.view.deliveryId))).toEqual(sorted(idsOf([early, middle, late])));
        expect(claimed.every((c) => c.leaseOwner === 'owner-a')).toBe(true);
        expect(claimed.find((c) => c.view.deliveryId === early.deliveryId)!.view).toEqual(early);
        expect(
          idsOf((await ctx.subject.claimDue(NOW, 3, LEASE_MS, 'owner-a', [])).map((c) => c.view)),
        ).toEqual(idsOf([exactlyNow]));
      });

      it('does not claim deliveries that are not due yet or no longer pending', async () => {
        const future = delivery({ nextAttemptAt: at(1_000) });
        const done = delivery();
        await saveAll(ctx.subject, [future, done]);
        await ctx.subject.save(finished(done, 'succeeded'), 1);
        for (const status of ['failed', 'cancelled'] as const)
          await ctx.subject.save(finished(delivery(), status), 0);
        expect(await ctx.subject.claimDue(NOW, 10, LEASE_MS, 'owner-a', [])).toEqual([]);
        expect(
          idsOf(
            (await ctx.subject.claimDue(new Date(NOW.getTime() + 1_000), 10, LEASE_MS, 'owner-a', [])).map(
              (c) => c.view,
            ),
          ),
        ).toEqual(idsOf([future]));
      });

      it('does not hand a leased delivery to anyone else until the lease expires', async () => {
        const view = delivery();
        await ctx.subject.save(view, 0);
        expect(await ctx.subject.claimDue(NOW, 10, LEASE_MS, 'owner-a', [])).toHaveLength(1);
        expect(await ctx.subject.claimDue(NOW, 10, LEASE_MS, 'owner-b', [])).toEqual([]);
        expect(
          await ctx.subject.claimDue(new Date(NOW.getTime() + LEASE_MS - 1), 10, LEASE_MS, 'owner-b', []),
        ).toEqual([]);
        const afterExpiry = await ctx.subject.claimDue(
          new Date(NOW.getTime() + LEASE_MS + 1),
          10,
          LEASE_MS,
          'owner-b',
          [],
        );
        expect(afterExpiry.map((c) => [c.view.deliveryId, c.leaseOwner])).toEqual([
          [view.deliveryId, 'owner-b'],
        ]);
      });

      it('skips deliveries of busy endpoints', async () => {
        const busy = delivery({ endpointId: 'ep_busy', nextAttemptAt: at(-50_000) });
        const free = delivery({ endpointId: 'ep_free' });
        const alsoBusy = delivery({ endpointId: 'ep_busy_too' });
        await saveAll(ctx.subject, [busy, free, alsoBusy]);
        const claimed = await ctx.subject.claimDue(NOW, 10, LEASE_MS, 'owner-a', ['ep_busy', 'ep_busy_too']);
        expect(idsOf(claimed.map((c) => c.view))).toEqual(idsOf([free]));
        expect(
          sorted(idsOf((await ctx.subject.claimDue(NOW, 10, LEASE_MS, 'owner-a', [])).map((c) => c.view))),
        ).toEqual(sorted(idsOf([busy, alsoBusy])));
      });

      it('leases no more per endpoint than roomOf allows, and fills the limit from other endpoints', async () => {
        const crowded = Array.from({ length: 5 }, (_, i) =>
          delivery({ endpointId: 'ep_crowded', nextAttemptAt: at(-90_000 + i) }),
        );
        const quiet = Array.from({ length: 3 }, (_, i) =>
          delivery({ endpointId: 'ep_quiet', nextAttemptAt: at(-10_000 + i) }),
        );
        const full = delivery({ endpointId: 'ep_full', nextAttemptAt: at(-95_000) });
        await saveAll(ctx.subject, [...crowded, ...quiet, full]);
        const room = (endpointId: string) => ({ ep_crowded: 2, ep_quiet: 8, ep_full: 0 })[endpointId] ?? 0;
        const claimed = await ctx.subject.claimDue(NOW, 4, LEASE_MS, 'owner-a', [], room);
        expect(sorted(idsOf(claimed.map((c) => c.view)))).toEqual(
          sorted(idsOf([crowded[0]!, crowded[1]!, quiet[0]!, quiet[1]!])),
        );
        // Without roomOf every due delivery counts.
        const rest = await ctx.subject.claimDue(NOW, 10, LEASE_MS, 'owner-a', []);
        expect(sorted(idsOf(rest.map((c) => c.view)))).toEqual(
          sorted(idsOf([...crowded.slice(2), quiet[2]!, full])),
        );
      });

      it('never gives one delivery to two concurrent claimers on different instances', async () => {
        const other = await ctx.another();
        const due = Array.from({ length: 30 }, (_, i) =>
          delivery({ nextAttemptAt: at(-100_000 + i), endpointId: `ep_contract_${i % 4}` }),
        );
        await saveAll(ctx.subject, due);
        const claims: string[][] = [];
        const claimer = async (repo: DeliveryReadRepository, owner: string) => {
          for (;;) {
            const batch = await repo.claimDue(NOW, 4, LEASE_MS, owner, []);
            if (batch.length === 0) return;
            claims.push(batch.map((c) => c.view.deliveryId));
          }
        };
        await Promise.all([
          claimer(ctx.subject, 'owner-a'),
          claimer(other, 'owner-b'),
          claimer(ctx.subject, 'owner-c'),
          claimer(other, 'owner-d'),
        ]);
        const all = claims.flat();
        expect(all).toHaveLength(30);
        expect(new Set(all).size).toBe(30);
      });

      it('hands an expired lease to exactly one of several concurrent claimers on different instances', async () => {
        const others = [await ctx.another(), await ctx.another()];
        const due = Array.from({ length: 12 }, (_, i) =>
          delivery({ nextAttemptAt: at(-50_000 + i), endpointId: `ep_contract_${i % 3}` }),
        );
        await saveAll(ctx.subject, due);
        expect(await ctx.subject.claimDue(NOW, 12, LEASE_MS, 'owner-a', [])).toHaveLength(12);
        const expired = new Date(NOW.getTime() + LEASE_MS + 1);
        const batches = await Promise.all(
          [ctx.subject, others[0]!, others[1]!, ctx.subject].map((repo, i) =>
            repo.claimDue(expired, 12, LEASE_MS, `owner-${i}`, []),
          ),
        );
        const all = batches.flat().map((c) => c.view.deliveryId);
        expect(sorted(all)).toEqual(sorted(idsOf(due)));
        // …and each new lease holds against everyone until it expires in turn.
        expect(await others[0]!.claimDue(expired, 12, LEASE_MS, 'owner-late', [])).toEqual([]);
      });

      it('keeps the lease when the projection saves a newer revision meanwhile', async () => {
        const view = delivery();
        await ctx.subject.save(view, 0);
        await ctx.subject.claimDue(NOW, 1, LEASE_MS, 'owner-a', []);
        await ctx.subject.save({ ...view, updatedAt: at(1) }, 1);
        expect(await ctx.subject.claimDue(NOW, 1, LEASE_MS, 'owner-b', [])).toEqual([]);
      });
    });

    describe('releaseLease', () => {
      it('makes the delivery claimable again, but only when its owner releases it', async () => {
        const view = delivery();
        await ctx.subject.save(view, 0);
        await ctx.subject.claimDue(NOW, 1, LEASE_MS, 'owner-a', []);
        await ctx.subject.releaseLease(view.deliveryId, 'owner-b');
        expect(await ctx.subject.claimDue(NOW, 1, LEASE_MS, 'owner-b', [])).toEqual([]);
        await ctx.subject.releaseLease(view.deliveryId, 'owner-a');
        expect(
          idsOf((await ctx.subject.claimDue(NOW, 1, LEASE_MS, 'owner-b', [])).map((c) => c.view)),
        ).toEqual([view.deliveryId]);
      });

      it('does nothing for an unknown delivery', async () => {
        await expect(ctx.subject.releaseLease(newId('dlv'), 'owner-a')).resolves.toBeUndefined();
      });
    });

    describe('nextDueAt', () => {
      it('is null without pending deliveries', async () => {
        expect(await ctx.subject.nextDueAt()).toBeNull();
        await ctx.subject.save(finished(delivery(), 'succeeded'), 0);
        expect(await ctx.subject.nextDueAt()).toBeNull();
      });

      it('is the earliest nextAttemptAt among pending deliveries, due or future, ignoring leased ones', async () => {
        const now = new Date();
        const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
        const earliest = delivery({ nextAttemptAt: iso(-120_000) });
        const second = delivery({ nextAttemptAt: iso(-60_000) });
        const future = delivery({ nextAttemptAt: iso(3_600_000) });
        await saveAll(ctx.subject, [earliest, second, future]);
        await ctx.subject.save(finished(delivery({ nextAttemptAt: iso(-500_000) }), 'failed'), 0);
        expect((await ctx.subject.nextDueAt())!.toISOString()).toBe(earliest.nextAttemptAt);

        await ctx.subject.claimDue(now, 1, LEASE_MS, 'owner-a', []);
        expect((await ctx.subject.nextDueAt())!.toISOString()).toBe(second.nextAttemptAt);
        await ctx.subject.claimDue(now, 1, LEASE_MS, 'owner-a', []);
        expect((await ctx.subject.nextDueAt())!.toISOString()).toBe(future.nextAttemptAt);

        await ctx.subject.releaseLease(earliest.deliveryId, 'owner-a');
        expect((await ctx.subject.nextDueAt())!.toISOString()).toBe(earliest.nextAttemptAt);
      });

      it('counts a delivery whose lease has expired', async () => {
        const view = delivery({ nextAttemptAt: new Date(Date.now() - 10_000).toISOString() });
        await ctx.subject.save(view, 0);
        await ctx.subject.claimDue(new Date(Date.now() - 5_000), 1, 1_000, 'owner-a', []);
        expect((await ctx.subject.nextDueAt())!.toISOString()).toBe(view.nextAttemptAt);
      });
    });

    describe('pendingIdsByEndpoint / succeededEventIds', () => {
      it('lists the pending deliveries of one endpoint', async () => {
        const a = delivery();
        const b = delivery({ nextAttemptAt: at(3_600_000) });
        const done = finished(delivery(), 'succeeded');
        const elsewhere = delivery({ endpointId: 'ep_contract_2' });
        await saveAll(ctx.subject, [a, b, done, elsewhere]);
        await ctx.subject.claimDue(NOW, 10, LEASE_MS, 'owner-a', []);
        expect(sorted(await ctx.subject.pendingIdsByEndpoint('ep_contract_1'))).toEqual(
          sorted(idsOf([a, b])),
        );
        expect(await ctx.subject.pendingIdsByEndpoint('ep_contract_none')).toEqual([]);
      });

      it('tells which of the given events this endpoint already received successfully', async () => {
        const ok1 = finished(delivery(), 'succeeded');
        const ok2 = finished(delivery(), 'succeeded');
        const failed = finished(delivery(), 'failed');
        const pending = delivery();
        const okElsewhere = finished(delivery({ endpointId: 'ep_contract_2' }), 'succeeded');
        await saveAll(ctx.subject, [ok1, ok2, failed, pending, okElsewhere]);
        const asked = [ok1.eventId, failed.eventId, pending.eventId, okElsewhere.eventId, newId('evt')];
        expect(await ctx.subject.succeededEventIds('ep_contract_1', asked)).toEqual(new Set([ok1.eventId]));
        expect(await ctx.subject.succeededEventIds('ep_contract_1', [])).toEqual(new Set());
        // Succeeded, then made pending again by a manual retry: still received.
        const retried = delivery({ succeededOnce: true, attemptCount: 1 });
        await ctx.subject.save(retried, 3);
        expect(await ctx.subject.succeededEventIds('ep_contract_1', [retried.eventId])).toEqual(
          new Set([retried.eventId]),
        );
        // The same event succeeded twice (a recovery re-send) is one id.
        await ctx.subject.save(finished(delivery({ eventId: ok2.eventId }), 'succeeded'), 0);
        expect(await ctx.subject.succeededEventIds('ep_contract_1', [ok2.eventId])).toEqual(
          new Set([ok2.eventId]),
        );
      });
    });

    it('clear() empties deliveries and attempts', async () => {
      const view = delivery();
      await ctx.subject.save(view, 0);
      await ctx.subject.addAttempt(view.deliveryId, attempt(1));
      await ctx.subject.clear();
      expect(await ctx.subject.get(view.deliveryId)).toBeNull();
      await ctx.subject.save(view, 0);
      expect((await ctx.subject.findById('ws_contract_a', view.deliveryId))!.attempts).toEqual([]);
      expect(await ctx.subject.nextDueAt()).not.toBeNull();
    });
  });
}
