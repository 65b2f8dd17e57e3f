import { isPrivateAddress } from './private-address.js';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback /8'],
    ['10.0.0.1', 'RFC 1918 10/8'],
    ['10.255.255.255', 'RFC 1918 10/8 end'],
    ['172.16.0.1', 'RFC 1918 172.16/12 start'],
    ['172.31.255.255', 'RFC 1918 172.16/12 end'],
    ['192.168.1.1', 'RFC 1918 192.168/16'],
    ['169.254.169.254', 'link-local / cloud metadata'],
    ['100.64.0.1', 'CGNAT start'],
    ['100.127.255.255', 'CGNAT end'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '"this network" 0/8'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast (SSDP)'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.10', 'documentation'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['0:0:0:0:0:0:0:1', 'IPv6 loopback, long form'],
    ['fe80::1', 'IPv6 link-local'],
    ['febf:ffff::1', 'IPv6 link-local, end of fe80::/10'],
    ['fe80::1%eth0', 'IPv6 link-local with a zone id'],
    ['fc00::1', 'unique-local fc00::/8'],
    ['fd12:3456:789a::1', 'unique-local fd00::/8'],
    ['fec0::1', 'site-local (deprecated)'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::FFFF:A9FE:A9FE', 'IPv4-mapped metadata address, upper-case hex'],
    ['::ffff:10.1.2.3', 'IPv4-mapped RFC 1918'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::a00:1', 'IPv4-compatible 10.0.0.1, hex'],
    ['::ffff:0:192.168.0.1', 'IPv4-translated (SIIT)'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['64:ff9b::169.254.169.254', 'NAT64 of the metadata address'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo whose client is 127.0.0.1 (inverted)'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['100::1', 'IPv6 discard-only'],
    ['[::1]', 'bracketed, as in a URL'],
  ])('%s is private (%s)', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.216.34'],
    ['172.15.255.255'], // just below 172.16/12
    ['172.32.0.0'], // just above
    ['100.63.255.255'], // just below CGNAT
    ['100.128.0.0'], // just above
    ['169.253.255.255'],
    ['11.0.0.1'],
    ['223.255.255.255'], // just below multicast
    ['2606:4700:4700::1111'],
    ['2001:4860:4860::8888'],
    ['::ffff:8.8.8.8'], // IPv4-mapped public
    ['::ffff:808:808'], // same, hex
    ['64:ff9b::808:808'], // NAT64 of a public address
    ['2002:808:808::1'], // 6to4 of a public address
    ['2a00:1450:4001:80b::200e'],
  ])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it.each([['localhost'], ['example.com'], [''], ['127.1'], ['2130706433'], ['1.2.3.4.5'], ['::g']])(
    'treats %p, which is not an IP literal, as private (fail closed)',
    (value) => {
      expect(isPrivateAddress(value)).toBe(true);
    },
  );
});
