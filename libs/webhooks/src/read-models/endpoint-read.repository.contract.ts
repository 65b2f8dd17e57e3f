import { decodeCursor, newId } from '../../../kernel/src/index.js';
import {
  type ContractFactory,
  type ContractOptions,
  describeContract,
} from '../../../read-store/src/contract/contract-suite.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';
import type { EndpointReadRepository } from './endpoint-read.repository.js';

const T0 = '2025-03-01T10:00:00.000Z';

function endpoint(overrides: Partial<ExistingEndpoint> = {}): ExistingEndpoint {
  return {
    status: 'enabled',
    endpointId: newId('ep'),
    workspaceId: 'ws_contract_a',
    url: 'https://hooks.example.com/whatsmine',
    events: ['message.received'],
    description: 'contract endpoint',
    secrets: { current: 'v1.aaaa.bbbb.cccc', previous: null },
    disabledReason: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const ids = (endpoints: ExistingEndpoint[]) => endpoints.map((e) => e.endpointId).sort();

/** What every EndpointReadRepository adapter must do. */
export function endpointReadRepositoryContract(
  adapterName: string,
  factory: ContractFactory<EndpointReadRepository>,
  options: ContractOptions = {},
): void {
  describeContract(`EndpointReadRepository contract [${adapterName}]`, factory, options, (ctx) => {
    describe('save / get', () => {
      it('stores the folded state with its revision, exactly as given', async () => {
        const state = endpoint({
          secrets: {
            current: 'v1.new.tag.ct',
            previous: { secret: 'v1.old.tag.ct', expiresAt: '2025-03-02T10:00:00.000Z' },
          },
          events: ['*'],
        });
        await ctx.subject.save(state, 0);
        expect(await ctx.subject.get(state.endpointId)).toEqual({ state, revision: 0 });
        expect(await ctx.subject.get(newId('ep'))).toBeNull();
      });

      it('applies a newer revision and ignores the same revision again or an older one after it', async () => {
        const v0 = endpoint();
        const v2 = { ...v0, url: 'https://hooks.example.com/v2', updatedAt: '2025-03-01T12:00:00.000Z' };
        await ctx.subject.save(v0, 0);
        await ctx.subject.save(v2, 2);
        await ctx.subject.save({ ...v0, url: 'https://hooks.example.com/replayed' }, 2);
        await ctx.subject.save({ ...v0, url: 'https://hooks.example.com/v1' }, 1);
        await ctx.subject.save(v0, 0);
        expect(await ctx.subject.get(v0.endpointId)).toEqual({ state: v2, revision: 2 });
      });

      it('ends at the newest revision when two instances replay the same history concurrently', async () => {
        const other = await ctx.another();
        const history = Array.from({ length: 8 }, (_, rev) => ({
          ...endpoint({ endpointId: 'ep_contract_race' }),
          description: `rev ${rev}`,
        }));
        await Promise.all([
          (async () => {
            for (const [rev, state] of history.entries()) await ctx.subject.save(state, rev);
          })(),
          (async () => {
            for (const [rev, state] of [...history.entries()].reverse()) await other.save(state, rev);
          })(),
        ]);
        await ctx.settle();
        expect(await ctx.subject.get('ep_contract_race')).toEqual({ state: history[7], revision: 7 });
      });
    });

    describe('findById', () => {
      it('finds enabled and disabled endpoints of the workspace, not deleted ones or other workspaces', async () => {
        const enabled = endpoint();
        const disabled = endpoint({ status: 'disabled', disabledReason: 'manual' });
        const deleted = endpoint({ status: 'deleted' });
        for (const e of [enabled, disabled, deleted]) await ctx.subject.save(e, 0);
        expect(await ctx.subject.findById('ws_contract_a', enabled.endpointId)).toEqual(enabled);
        expect(await ctx.subject.findById('ws_contract_a', disabled.endpointId)).toEqual(disabled);
        expect(await ctx.subject.findById('ws_contract_a', deleted.endpointId)).toBeNull();
        expect(await ctx.subject.findById('ws_contract_b', enabled.endpointId)).toBeNull();
      });

      it('stops finding an endpoint once a newer revision deletes it', async () => {
        const e = endpoint();
        await ctx.subject.save(e, 0);
        await ctx.subject.save({ ...e, status: 'deleted' }, 1);
        expect(await ctx.subject.findById('ws_contract_a', e.endpointId)).toBeNull();
        expect((await ctx.subject.get(e.endpointId))!.state.status).toBe('deleted');
      });
    });

    describe('list', () => {
      it('lists the workspace newest first, without deleted endpoints', async () => {
        const a = endpoint({ createdAt: '2025-03-01T10:00:00.000Z' });
        const b = endpoint({
          createdAt: '2025-03-01T11:00:00.000Z',
          status: 'disabled',
          disabledReason: 'gone',
        });
        const gone = endpoint({ createdAt: '2025-03-01T12:00:00.000Z', status: 'deleted' });
        const other = endpoint({ createdAt: '2025-03-01T13:00:00.000Z', workspaceId: 'ws_contract_b' });
        for (const e of [a, b, gone, other]) await ctx.subject.save(e, 0);
        const page = await ctx.subject.list('ws_contract_a', 10);
        expect(page.data.map((e) => e.endpointId)).toEqual([b.endpointId, a.endpointId]);
        expect(page.nextCursor).toBeNull();
      });

      it('pages through endpoints with equal createdAt without repeating or skipping any', async () => {
        const all = Array.from({ length: 5 }, () => endpoint());
        all.push(endpoint({ createdAt: '2025-03-01T09:00:00.000Z' }));
        for (const e of all) await ctx.subject.save(e, 0);
        const seen: string[] = [];
        let cursor: { t: string; id: string } | undefined;
        const sizes: number[] = [];
        for (let i = 0; i < 10; i++) {
          const page = await ctx.subject.list('ws_contract_a', 2, cursor);
          sizes.push(page.data.length);
          seen.push(...page.data.map((e) => e.endpointId));
          if (!page.nextCursor) break;
          cursor = decodeCursor(page.nextCursor);
        }
        expect(sizes).toEqual([2, 2, 2]);
        const sameTime = all
          .slice(0, 5)
          .map((e) => e.endpointId)
          .sort()
          .reverse();
        expect(seen).toEqual([...sameTime, all[5]!.endpointId]);
      });
    });

    describe('findSubscribed', () => {
      it('finds enabled endpoints subscribed to the type or to "*", in this workspace only', async () => {
        const exact = endpoint({ events: ['order.created', 'message.received'] });
        const wildcard = endpoint({ events: ['*'] });
        const otherType = endpoint({ events: ['lead.created'] });
        const disabled = endpoint({ status: 'disabled', disabledReason: 'manual', events: ['*'] });
        const deleted = endpoint({ status: 'deleted', events: ['message.received'] });
        const elsewhere = endpoint({ workspaceId: 'ws_contract_b', events: ['*'] });
        for (const e of [exact, wildcard, otherType, disabled, deleted, elsewhere])
          await ctx.subject.save(e, 0);

        expect(ids(await ctx.subject.findSubscribed('ws_contract_a', 'message.received'))).toEqual(
          ids([exact, wildcard]),
        );
        expect(ids(await ctx.subject.findSubscribed('ws_contract_a', 'lead.created'))).toEqual(
          ids([wildcard, otherType]),
        );
        expect(ids(await ctx.subject.findSubscribed('ws_contract_a', 'payment.failed'))).toEqual(
          ids([wildcard]),
        );
        expect(await ctx.subject.findSubscribed('ws_contract_c', 'message.received')).toEqual([]);
      });

      it('follows later revisions: disabling, re-subscribing and deleting', async () => {
        const e = endpoint({ events: ['message.received'] });
        await ctx.subject.save(e, 0);
        await ctx.subject.save({ ...e, events: ['order.created'] }, 1);
        expect(await ctx.subject.findSubscribed('ws_contract_a', 'message.received')).toEqual([]);
        expect(ids(await ctx.subject.findSubscribed('ws_contract_a', 'order.created'))).toEqual([
          e.endpointId,
        ]);
        await ctx.subject.save(
          { ...e, events: ['order.created'], status: 'disabled', disabledReason: 'gone' },
          2,
        );
        expect(await ctx.subject.findSubscribed('ws_contract_a', 'order.created')).toEqual([]);
        await ctx.subject.save({ ...e, events: ['order.created'], status: 'deleted' }, 3);
        expect(await ctx.subject.findSubscribed('ws_contract_a', 'order.created')).toEqual([]);
      });

      it('returns the full state (url, secrets) the sender needs', async () => {
        const e = endpoint({ events: ['*'] });
        await ctx.subject.save(e, 0);
        expect(await ctx.subject.findSubscribed('ws_contract_a', 'webhook.test')).toEqual([e]);
      });
    });

    it('clear() empties the read model', async () => {
      const e = endpoint();
      await ctx.subject.save(e, 0);
      await ctx.subject.clear();
      expect(await ctx.subject.get(e.endpointId)).toBeNull();
      expect((await ctx.subject.list('ws_contract_a', 5)).data).toEqual([]);
    });
  });
}
