import { describeNetworkError } from './network-error.js';

describe('describeNetworkError', () => {
  it.each([
    ['EPRIVATEADDRESS', 'private address refused'],
    ['ECONNREFUSED', 'connection refused'],
    ['ECONNRESET', 'connection reset'],
    ['ENOTFOUND', 'dns failure'],
    ['EAI_AGAIN', 'dns failure'],
    ['EPROTO', 'tls error'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls error'],
    ['CERT_HAS_EXPIRED', 'tls error'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls error'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls error'],
    ['EHOSTUNREACH', 'network error: EHOSTUNREACH'],
    ['HPE_INVALID_CONSTANT', 'network error: HPE_INVALID_CONSTANT'],
  ])('%s → %s', (code, text) => {
    expect(describeNetworkError(Object.assign(new Error('x'), { code }))).toBe(text);
  });

  it('copes with errors without a code', () => {
    expect(describeNetworkError(new Error('boom'))).toBe('network error: unknown');
    expect(describeNetworkError('boom')).toBe('network error: unknown');
    expect(describeNetworkError(null)).toBe('network error: unknown');
  });
});
