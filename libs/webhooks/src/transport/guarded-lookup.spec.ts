import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkWebhookTarget } from './webhook-url-policy.js';
import { createGuardedLookup, type AddressResolver } from './guarded-lookup.js';

type Result = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function callLookup(
  lookup: ReturnType<typeof createGuardedLookup>,
  host: string,
  options: LookupOptions & { all?: boolean },
) {
  return new Promise<Result>((resolve) => {
    lookup(host, options, (error, address, family) => resolve({ error, address, family }));
  });
}

const fixed =
  (table: Record<string, string[]>): AddressResolver =>
  async (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('createGuardedLookup', () => {
  const resolver = fixed({
    'public.test': ['93.184.216.34', '2606:2800:220:1::1'],
    'private.test': ['127.0.0.1'],
    'mixed.test': ['93.184.216.34', '169.254.169.254'],
    'empty.test': [],
  });

  it('answers like dns.lookup with all: true (what Node ≥ 20 asks for)', async () => {
    const result = await callLookup(createGuardedLookup(false, resolver), 'public.test', { all: true });
    expect(result.error).toBeNull();
    expect(result.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });

  it('answers like dns.lookup without all (address and family)', async () => {
    const result = await callLookup(createGuardedLookup(false, resolver), 'public.test', {});
    expect(result).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it.each([['private.test'], ['mixed.test']])(
    'refuses %s with code EPRIVATEADDRESS, in both modes',
    async (host) => {
      for (const options of [{ all: true }, {}]) {
        const result = await callLookup(createGuardedLookup(false, resolver), host, options);
        expect(result.error?.code).toBe('EPRIVATEADDRESS');
      }
    },
  );

  it('lets private addresses through when allowed', async () => {
    const result = await callLookup(createGuardedLookup(true, resolver), 'private.test', { all: true });
    expect(result.error).toBeNull();
    expect(result.address).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('passes resolver failures on and treats an empty answer as not found', async () => {
    expect(
      (await callLookup(createGuardedLookup(false, resolver), 'nope.test', { all: true })).error?.code,
    ).toBe('ENOTFOUND');
    expect((await callLookup(createGuardedLookup(false, resolver), 'empty.test', {})).error?.code).toBe(
      'ENOTFOUND',
    );
  });

  it('refuses localhost through the real system resolver', async () => {
    const result = await callLookup(createGuardedLookup(false), 'localhost', { all: true });
    expect(result.error?.code).toBe('EPRIVATEADDRESS');
  });
});

describe('createGuardedLookup on a real connection', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits = 0;
  });

  function get(host: string, lookup: ReturnType<typeof createGuardedLookup>) {
    return new Promise<{ status?: number; code?: string }>((resolve) => {
      const req = http.request({ host, port, path: '/', lookup, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code }));
      req.end();
    });
  }

  it('defeats DNS rebinding: public at registration, loopback at connect time → never connects', async () => {
    let calls = 0;
    // First answer public (what registration sees), later answers point at our own server.
    const rebinding: AddressResolver = async () => [
      { address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 },
    ];
    const registrationLookup = async (host: string) =>
      (await rebinding(host, {})).map((entry) => entry.address);

    await expect(
      checkWebhookTarget(new URL(`http://rebind.test:${port}/`), {
        allowPrivateNetworks: false,
        lookup: registrationLookup,
      }),
    ).resolves.toBeUndefined();
    expect(await get('rebind.test', createGuardedLookup(false, rebinding))).toEqual({
      code: 'EPRIVATEADDRESS',
    });
    expect(hits).toBe(0);
  });

  it('connects to the resolved address when private networks are allowed', async () => {
    const toLoopback: AddressResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    expect(await get('anything.test', createGuardedLookup(true, toLoopback))).toEqual({ status: 200 });
    expect(hits).toBe(1);
  });
});
