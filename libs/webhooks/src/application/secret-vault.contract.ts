import { newId } from '../../../kernel/src/index.js';
import {
  type ContractFactory,
  type ContractOptions,
  describeContract,
} from '../../../read-store/src/contract/contract-suite.js';
import type { SecretVault } from './secret-vault.port.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/**
 * What every SecretVault adapter must do. Instances opened by one factory share the same key store
 * and the same master key (DATA_ENCRYPTION_KEY), like the processes of one deployment.
 */
export function secretVaultContract(
  adapterName: string,
  factory: ContractFactory<SecretVault>,
  options: ContractOptions = {},
): void {
  describeContract(`SecretVault contract [${adapterName}]`, factory, options, (ctx) => {
    it('encrypts a secret so that it decrypts again, without the plaintext in the blob', async () => {
      const endpointId = newId('ep');
      const blob = await ctx.subject.encrypt(endpointId, SECRET);
      expect(blob).not.toContain(SECRET);
      expect(blob).toMatch(/^v1\./);
      expect(await ctx.subject.decrypt(endpointId, blob)).toBe(SECRET);
      // Fresh nonce every time, same key.
      const again = await ctx.subject.encrypt(endpointId, SECRET);
      expect(again).not.toBe(blob);
      expect(await ctx.subject.decrypt(endpointId, again)).toBe(SECRET);
    });

    it('keeps the key outside process memory: another instance decrypts', async () => {
      const endpointId = newId('ep');
      const blob = await ctx.subject.encrypt(endpointId, SECRET);
      const other = await ctx.another();
      expect(await other.decrypt(endpointId, blob)).toBe(SECRET);
    });

    it('gives each endpoint its own key: a blob does not open under another endpoint', async () => {
      const a = newId('ep');
      const b = newId('ep');
      const blob = await ctx.subject.encrypt(a, SECRET);
      await ctx.subject.encrypt(b, 'something else');
      await expect(ctx.subject.decrypt(b, blob)).rejects.toThrow();
    });

    it('answers null for an endpoint that never had a key', async () => {
      const blob = await ctx.subject.encrypt(newId('ep'), SECRET);
      expect(await ctx.subject.decrypt(newId('ep'), blob)).toBeNull();
    });

    it('destroy makes every blob of the endpoint unreadable, also through other instances, for good', async () => {
      const endpointId = newId('ep');
      const other = await ctx.another();
      const blob = await ctx.subject.encrypt(endpointId, SECRET);
      const keep = newId('ep');
      const kept = await ctx.subject.encrypt(keep, SECRET);
      expect(await other.decrypt(endpointId, blob)).toBe(SECRET);

      await ctx.subject.destroy(endpointId);
      expect(await ctx.subject.decrypt(endpointId, blob)).toBeNull();
      await expect(ctx.subject.encrypt(endpointId, SECRET)).rejects.toThrow(/destroyed/);
      const later = await ctx.another();
      expect(await later.decrypt(endpointId, blob)).toBeNull();
      expect(await later.decrypt(keep, kept)).toBe(SECRET);
    });

    it('destroy of an endpoint without a key keeps one from being created later', async () => {
      const endpointId = newId('ep');
      await ctx.subject.destroy(endpointId);
      await ctx.subject.destroy(endpointId);
      await expect(ctx.subject.encrypt(endpointId, SECRET)).rejects.toThrow(/destroyed/);
    });

    it('settles on one key when two instances create it at the same time', async () => {
      const endpointId = newId('ep');
      const other = await ctx.another();
      const [a, b] = await Promise.all([
        ctx.subject.encrypt(endpointId, 'from a'),
        other.encrypt(endpointId, 'from b'),
      ]);
      const third = await ctx.another();
      expect(await third.decrypt(endpointId, a)).toBe('from a');
      expect(await third.decrypt(endpointId, b)).toBe('from b');
    });
  });
}
