import { isIP, isIPv4 } from 'node:net';

/**
 * SSRF guard: is this IP literal somewhere a webhook must not reach unless the operator allowed
 * private networks? Covers loopback, RFC 1918, link-local (cloud metadata at 169.254.169.254),
 * CGNAT, unique-local, unspecified, multicast, broadcast, documentation/benchmark/reserved ranges,
 * and every IPv6 form that embeds an IPv4 address (mapped, compatible, SIIT, NAT64, 6to4, Teredo),
 * whose embedded address is judged like a plain IPv4 one.
 *
 * Plain bit math rather than a BlockList, so the embedded-IPv4 cases are explicit and testable.
 * Anything that is not an IP literal answers `true`: an unknown shape is never trusted.
 */
export function isPrivateAddress(ip: string): boolean {
  const literal = unbracket(ip);
  if (isIPv4(literal)) return isPrivateIPv4(parseIPv4(literal));
  if (isIP(literal) === 6) return isPrivateIPv6(parseIPv6(literal));
  return true;
}

/** [start, prefix length] pairs; an IPv4 address as an unsigned 32-bit number. */
const PRIVATE_IPV4: ReadonlyArray<readonly [number, number]> = [
  [parseIPv4('0.0.0.0'), 8], // "this network", includes the unspecified address
  [parseIPv4('10.0.0.0'), 8], // RFC 1918
  [parseIPv4('100.64.0.0'), 10], // carrier-grade NAT (RFC 6598)
  [parseIPv4('127.0.0.0'), 8], // loopback
  [parseIPv4('169.254.0.0'), 16], // link-local, cloud metadata endpoints
  [parseIPv4('172.16.0.0'), 12], // RFC 1918
  [parseIPv4('192.0.0.0'), 24], // IETF protocol assignments
  [parseIPv4('192.0.2.0'), 24], // TEST-NET-1
  [parseIPv4('192.88.99.0'), 24], // 6to4 relay anycast (deprecated)
  [parseIPv4('192.168.0.0'), 16], // RFC 1918
  [parseIPv4('198.18.0.0'), 15], // benchmarking
  [parseIPv4('198.51.100.0'), 24], // TEST-NET-2
  [parseIPv4('203.0.113.0'), 24], // TEST-NET-3
  [parseIPv4('224.0.0.0'), 4], // multicast
  [parseIPv4('240.0.0.0'), 4], // reserved, includes the broadcast address 255.255.255.255
];

function isPrivateIPv4(address: number): boolean {
  return PRIVATE_IPV4.some(([start, bits]) => inPrefix(address, start, bits));
}

function inPrefix(address: number, start: number, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (address & mask) >>> 0 === start;
}

/** `words` are the eight 16-bit groups of an IPv6 address. */
function isPrivateIPv6(words: number[]): boolean {
  const [w0, w1, w2, w3, w4, w5] = words as [number, number, number, number, number, number];
  const embeddedTail = ((words[6]! << 16) | words[7]!) >>> 0;

  const firstFiveZero = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  // ::/96 (IPv4-compatible, also covers :: and ::1 as 0.0.0.0 and 0.0.0.1) and ::ffff:0:0/96 (IPv4-mapped).
  if (firstFiveZero && (w5 === 0 || w5 === 0xffff)) return isPrivateIPv4(embeddedTail);
  // ::ffff:0:0:0/96, IPv4-translated (SIIT).
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0xffff && w5 === 0) {
    return isPrivateIPv4(embeddedTail);
  }
  // 64:ff9b::/96, well-known NAT64 prefix: the gateway would connect to the embedded IPv4.
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) {
    return isPrivateIPv4(embeddedTail);
  }
  // 64:ff9b:1::/48, local-use NAT64 (RFC 8215): translates into the operator's own network.
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 1) return true;
  // 2002::/16, 6to4: the IPv4 of the tunnel end sits in bits 16–47.
  if (w0 === 0x2002) return isPrivateIPv4(((w1 << 16) | w2) >>> 0);
  // 2001::/32, Teredo: server IPv4 in bits 32–63, client IPv4 inverted in the last 32 bits.
  if (w0 === 0x2001 && w1 === 0) {
    return isPrivateIPv4(((w2 << 16) | w3) >>> 0) || isPrivateIPv4(~embeddedTail >>> 0);
  }
  if (w0 === 0x0100 && w1 === 0 && w2 === 0 && w3 === 0) return true; // 100::/64 discard-only
  if (w0 === 0x2001 && w1 === 0x0db8) return true; // 2001:db8::/32 documentation
  if ((w0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique-local
  if ((w0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((w0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((w0 & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  return false;
}

function unbracket(ip: string): string {
  let literal = ip.trim();
  if (literal.startsWith('[') && literal.endsWith(']')) literal = literal.slice(1, -1);
  // A zone id (fe80::1%eth0) names an interface, not part of the address.
  const zone = literal.indexOf('%');
  return zone === -1 ? literal : literal.slice(0, zone);
}

function parseIPv4(dotted: string): number {
  const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Expects a string `net.isIP` accepted as IPv6 (zone id removed). */
function parseIPv6(literal: string): number[] {
  let text = literal.toLowerCase();
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes the last two 16-bit groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const headWords = head === '' ? [] : head.split(':');
  const restWords = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - headWords.length - restWords.length;
  return [...headWords, ...Array<string>(zeros).fill('0'), ...restWords].map((word) => parseInt(word, 16));
}
