import { REDACTED, redact } from './redact.js';

describe('redact', () => {
  it('replaces hashes and secrets at any depth and keeps everything else', () => {
    const input = {
      tokenId: 'tok_1',
      hash: 'a'.repeat(64),
      nested: { secret: 'v1.abc', secrets: { current: 'x', previous: null }, keep: [1, { token: 'wm_x' }] },
      list: [{ hash: 'b' }],
    };
    expect(redact(input)).toEqual({
      tokenId: 'tok_1',
      hash: REDACTED,
      nested: { secret: REDACTED, secrets: REDACTED, keep: [1, { token: REDACTED }] },
      list: [{ hash: REDACTED }],
    });
  });

  it('does not change the input', () => {
    const input = { hash: 'h' };
    redact(input);
    expect(input.hash).toBe('h');
  });

  it('leaves null secret fields null (absence is not a secret)', () => {
    expect(redact({ secret: null })).toEqual({ secret: null });
  });
});
