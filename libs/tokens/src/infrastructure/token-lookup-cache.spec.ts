import type { TokenView } from '../read-models/token.read-model.js';
import { TokenLookupCache } from './token-lookup-cache.js';

const view = (id: string): TokenView => ({
  id,
  workspaceId: 'ws_1',
  userId: 'user_1',
  name: id,
  prefix: 'wm_abc',
  scopes: ['tokens:read'],
  createdAt: '2025-03-01T10:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
});

describe('TokenLookupCache', () => {
  it('answers a stored view by hash while the data version stays the same', () => {
    const cache = new TokenLookupCache();
    cache.validate(7);
    cache.set('h1', view('tok_1'));
    cache.validate(7);
    expect(cache.get('h1')?.id).toBe('tok_1');
    expect(cache.get('h2')).toBeUndefined();
  });

  it('drops everything when the data version changes (another connection committed)', () => {
    const cache = new TokenLookupCache();
    cache.validate(7);
    cache.set('h1', view('tok_1'));
    cache.set('h2', view('tok_2'));
    cache.validate(8);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets one token by id (a write of this connection), keeping the others', () => {
    const cache = new TokenLookupCache();
    cache.set('h1', view('tok_1'));
    cache.set('h2', view('tok_2'));
    cache.forget('tok_1');
    cache.forget('tok_unknown');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')?.id).toBe('tok_2');
    expect(cache.size).toBe(1);
  });

  it('clear() empties it', () => {
    const cache = new TokenLookupCache();
    cache.set('h1', view('tok_1'));
    cache.clear();
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, evicting the entry stored first, and forgets evicted ids cleanly', () => {
    const cache = new TokenLookupCache(3);
    for (let i = 1; i <= 5; i++) cache.set(`h${i}`, view(`tok_${i}`));
    expect(cache.size).toBe(3);
    expect(['h1', 'h2', 'h3', 'h4', 'h5'].map((h) => cache.get(h)?.id ?? null)).toEqual([
      null,
      null,
      'tok_3',
      'tok_4',
      'tok_5',
    ]);
    // An evicted token's id no longer points at a hash: forgetting it leaves the others alone.
    cache.forget('tok_1');
    expect(cache.size).toBe(3);
  });

  it('replaces a token stored again instead of keeping two entries for it', () => {
    const cache = new TokenLookupCache(2);
    cache.set('h1', view('tok_1'));
    cache.set('h1', { ...view('tok_1'), lastUsedAt: '2025-03-02T00:00:00.000Z' });
    cache.set('h2', view('tok_2'));
    expect(cache.size).toBe(2);
    expect(cache.get('h1')?.lastUsedAt).toBe('2025-03-02T00:00:00.000Z');
  });

  it('hands out frozen views: a caller cannot change what the next request sees', () => {
    const cache = new TokenLookupCache();
    const stored = cache.set('h1', view('tok_1'));
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(stored.scopes)).toBe(true);
    expect(() => {
      (stored as { revokedAt: string | null }).revokedAt = 'x';
    }).toThrow(TypeError);
  });

  it('refuses a bound below one', () => {
    expect(() => new TokenLookupCache(0)).toThrow(RangeError);
  });
});
