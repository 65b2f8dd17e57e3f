import type { TokenView } from '../read-models/token.read-model.js';

/** Enough for every token in active use on an instance; beyond it the oldest entries go first. */
export const DEFAULT_TOKEN_LOOKUP_CACHE_ENTRIES = 10_000;

/**
 * Token views found by hash (positive lookups only), for the embedded token read model. Keyed by
 * the SHA-256 hash, never the plaintext. It is only as valid as its owner keeps it:
 * - `validate(version)` before every read, with the read-model connection's `PRAGMA data_version`:
 *   a different version means another connection (another process sharing DATA_DIR) committed to
 *   the file, so everything is dropped;
 * - `forget(tokenId)` on every write of this connection to a token's row (its own writes do not
 *   change the version), `clear()` when the table is emptied.
 * Bounded: when full, the entry stored first is evicted.
 */
export class TokenLookupCache {
  private readonly byHash = new Map<string, TokenView>();
  private readonly hashById = new Map<string, string>();
  private version: number | undefined;

  constructor(private readonly maxEntries = DEFAULT_TOKEN_LOOKUP_CACHE_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be ≥ 1');
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Drops every entry if `version` differs from the one of the previous call. */
  validate(version: number): void {
    if (version === this.version) return;
    this.clear();
    this.version = version;
  }

  get(hash: string): TokenView | undefined {
    return this.byHash.get(hash);
  }

  /** Stores a view read from the database; frozen, since every later hit shares the object. */
  set(hash: string, view: TokenView): TokenView {
    this.forget(view.id);
    if (this.byHash.size >= this.maxEntries) {
      const oldest = this.byHash.keys().next().value as string;
      this.hashById.delete(this.byHash.get(oldest)!.id);
      this.byHash.delete(oldest);
    }
    Object.freeze(view.scopes);
    const frozen = Object.freeze(view);
    this.byHash.set(hash, frozen);
    this.hashById.set(view.id, hash);
    return frozen;
  }

  forget(tokenId: string): void {
    const hash = this.hashById.get(tokenId);
    if (hash === undefined) return;
    this.hashById.delete(tokenId);
    this.byHash.delete(hash);
  }

  clear(): void {
    this.byHash.clear();
    this.hashById.clear();
  }
}
