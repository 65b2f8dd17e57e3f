import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../../../kernel/src/index.js';
import { isPrivateAddress } from './private-address.js';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** The variable an operator sets to let endpoints reach private networks (named in refusals). */
export const ALLOW_PRIVATE_NETWORKS_VARIABLE = 'WEBHOOK_ALLOW_PRIVATE_NETWORKS';

/**
 * Syntax rules for an endpoint URL, checked at registration: a string of at most 2048
 * characters, http or https, no credentials in it (they would be logged and shown in the
 * endpoint), a real host name and a usable port. Returns the WHATWG-normalised URL.
 */
export function parseWebhookUrl(raw: string): URL {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid('url must be a non-empty string');
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    throw refused(`url is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(`url scheme "${url.protocol.slice(0, -1)}" is not allowed; use http or https`);
  }
  if (url.username !== '' || url.password !== '') {
    throw refused('url must not contain a username or password');
  }
  // The WHATWG parser already rejects empty hosts for http(s); "." or "a..b" still get through.
  const host = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  if (host === '' || (!host.startsWith('[') && host.split('.').some((label) => label === ''))) {
    throw refused(`url host "${url.hostname}" is not a valid host name`);
  }
  // The parser rejects ports above 65535 and drops default ports; 0 is the one left to refuse.
  if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) {
    throw refused(`url port ${url.port} is not allowed; use 1-65535`);
  }
  return url;
}

export interface WebhookTargetCheckOptions {
  allowPrivateNetworks: boolean;
  /** Resolves every address of a host name; defaults to `dns.lookup({ all: true })`. */
  lookup?: (hostname: string) => Promise<string[]>;
}

/**
 * SSRF check at registration: refuses a URL whose host is, or resolves to, any private, loopback,
 * link-local or otherwise internal address. The sender repeats the check at connect time (see
 * guarded-lookup.ts), because DNS answers can change after registration (rebinding).
 */
export async function checkWebhookTarget(url: URL, options: WebhookTargetCheckOptions): Promise<void> {
  if (options.allowPrivateNetworks) return;
  const host = hostOf(url);

  if (isIP(host) !== 0) {
    // The WHATWG parser already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
    if (isPrivateAddress(host)) throw privateNetwork(url, [host]);
    return;
  }
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) throw privateNetwork(url, ['loopback']);

  let addresses: string[];
  try {
    addresses = await (options.lookup ?? lookupAll)(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code ?? 'lookup failed';
    throw new DomainError('refused', `${host} does not resolve to an address (${code})`, 'unresolvable_host');
  }
  if (addresses.length === 0) {
    throw new DomainError('refused', `${host} does not resolve to an address`, 'unresolvable_host');
  }
  const internal = addresses.filter((address) => isPrivateAddress(address));
  if (internal.length > 0) throw privateNetwork(url, internal);
}

/** `url.hostname` keeps the brackets of an IPv6 literal; `net` and `dns` want them off. */
export function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

async function lookupAll(hostname: string): Promise<string[]> {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map((result) => result.address);
}

function privateNetwork(url: URL, addresses: string[]): DomainError {
  return new DomainError(
    'refused',
    `${url.hostname} resolves to a private/loopback/link-local address (${addresses.join(', ')}); ` +
      `set ${ALLOW_PRIVATE_NETWORKS_VARIABLE}=true to allow it`,
    'private_network',
  );
}

function refused(message: string): DomainError {
  return new DomainError('refused', message, 'url_refused');
}

function invalid(message: string): DomainError {
  return new DomainError('invalid', message, 'url_invalid', [{ field: 'url', message }]);
}
