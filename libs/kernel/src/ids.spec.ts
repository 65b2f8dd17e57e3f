import { isId, newId } from './ids.js';

describe('newId', () => {
  it('prefixes the type and is recognised by isId', () => {
    const id = newId('tok');
    expect(id).toMatch(/^tok_[0-9a-z]{26}$/);
    expect(isId('tok', id)).toBe(true);
    expect(isId('ep', id)).toBe(false);
  });

  it('sorts by creation time', () => {
    const a = newId('evt', 1_000);
    const b = newId('evt', 2_000);
    expect(a < b).toBe(true);
  });

  it('is unique across many calls in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('dlv', 5)));
    expect(ids.size).toBe(1000);
  });
});
