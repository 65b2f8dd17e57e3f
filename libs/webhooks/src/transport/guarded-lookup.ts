import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './private-address.js';

/** Resolves every address of a host name, honouring `family`/`hints`; swappable in tests. */
export type AddressResolver = (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;

export const systemResolver: AddressResolver = (hostname, options) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/** Raised from the connect-time lookup; the sender maps its code to "private address refused". */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';

  constructor(
    readonly hostname: string,
    readonly addresses: string[],
  ) {
    super(`${hostname} resolves to a private address (${addresses.join(', ')})`);
    this.name = 'PrivateAddressError';
  }
}

/**
 * A `lookup` for `net`/`http` connections that refuses private addresses at connect time: the
 * DNS-rebinding defence, since a host that resolved to a public address at registration may
 * resolve to 127.0.0.1 or 169.254.169.254 later. Every resolved address is checked, not only the
 * first, because with `all: true` (what Node ≥ 20 asks for, to race IPv4/IPv6) any of them may be
 * dialled. IP-literal hosts never reach a `lookup`; the sender checks those itself.
 */
export function createGuardedLookup(
  allowPrivateNetworks: boolean,
  resolver: AddressResolver = systemResolver,
): LookupFunction {
  return (hostname, options, callback) => {
    const { all, ...resolveOptions } = options as LookupOptions & { all?: boolean };
    resolver(hostname, resolveOptions).then(
      (addresses) => {
        if (addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = 'ENOTFOUND';
          return callback(error, all ? [] : '');
        }
        const internal = addresses
          .filter((entry) => isPrivateAddress(entry.address))
          .map((entry) => entry.address);
        if (!allowPrivateNetworks && internal.length > 0) {
          return callback(new PrivateAddressError(hostname, internal), all ? [] : '');
        }
        if (all) return callback(null, addresses);
        const first = addresses[0]!;
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, all ? [] : ''),
    );
  };
}
