import type { CheckpointStore } from '../checkpoint-store.port.js';
import { type ContractFactory, type ContractOptions, describeContract } from './contract-suite.js';

/** What every CheckpointStore adapter must do. Run from an int-spec: `checkpointStoreContract('sqlite', factory)`. */
export function checkpointStoreContract(
  adapterName: string,
  factory: ContractFactory<CheckpointStore>,
  options: ContractOptions = {},
): void {
  describeContract(`CheckpointStore contract [${adapterName}]`, factory, options, (ctx) => {
    it('answers 0 for a checkpoint never saved', async () => {
      expect(await ctx.subject.get('tokens')).toBe(0);
      expect(await ctx.subject.list()).toEqual([]);
    });

    it('returns what was saved, per name', async () => {
      await ctx.subject.save('tokens', 12);
      await ctx.subject.save('saga:deliveries', 7);
      expect(await ctx.subject.get('tokens')).toBe(12);
      expect(await ctx.subject.get('saga:deliveries')).toBe(7);
      await ctx.subject.save('tokens', 40);
      expect(await ctx.subject.get('tokens')).toBe(40);
    });

    it('never moves backwards: an older position saved later is ignored', async () => {
      await ctx.subject.save('endpoints', 100);
      await ctx.subject.save('endpoints', 50);
      await ctx.subject.save('endpoints', 100);
      expect(await ctx.subject.get('endpoints')).toBe(100);
    });

    it('keeps positions beyond 32 bits', async () => {
      const big = 2 ** 40 + 3;
      await ctx.subject.save('deliveries', big);
      await ctx.subject.save('deliveries', 5);
      expect(await ctx.subject.get('deliveries')).toBe(big);
    });

    it('lists every checkpoint by name with the time of its last save', async () => {
      const before = new Date(Date.now() - 1000).toISOString();
      await ctx.subject.save('tokens', 3);
      await ctx.subject.save('deliveries', 9);
      await ctx.subject.save('endpoints', 5);
      const list = await ctx.subject.list();
      expect(list.map((c) => [c.name, c.position])).toEqual([
        ['deliveries', 9],
        ['endpoints', 5],
        ['tokens', 3],
      ]);
      for (const c of list) expect(c.updatedAt >= before).toBe(true);
    });

    it('is shared by instances on the same store (a restart resumes where another process stopped)', async () => {
      await ctx.subject.save('tokens', 21);
      await ctx.settle();
      const other = await ctx.another();
      expect(await other.get('tokens')).toBe(21);
    });

    it('ends at the highest position when two instances save concurrently', async () => {
      const other = await ctx.another();
      const positions = Array.from({ length: 20 }, (_, i) => i + 1);
      await Promise.all(positions.map((p, i) => (i % 2 ? ctx.subject : other).save('deliveries', p)));
      await ctx.settle();
      expect(await ctx.subject.get('deliveries')).toBe(20);
    });
  });
}
