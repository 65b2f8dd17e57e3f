/** Codes of failures whose name the subscriber's operator will recognise at a glance. */
const BY_CODE: Record<string, string> = {
  EPRIVATEADDRESS: 'private address refused',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'dns failure',
  EAI_AGAIN: 'dns failure',
  EAI_FAIL: 'dns failure',
  EAI_NODATA: 'dns failure',
  EAI_NONAME: 'dns failure',
  ENODATA: 'dns failure',
  EPROTO: 'tls error', // in an HTTP client this is the TLS handshake (e.g. https to a plain-http port)
};

/** OpenSSL verification codes (certificate problems) come without an `E`/`ERR_` prefix. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/**
 * The short, stable `error` string of an attempt for a network-level failure: what the delivery
 * log shows, so it names the kind of problem and never leaks stack traces or internal detail.
 */
export function describeNetworkError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || code === '') return 'network error: unknown';
  const known = BY_CODE[code];
  if (known !== undefined) return known;
  if (TLS_CODE.test(code)) return 'tls error';
  return `network error: ${code}`;
}
