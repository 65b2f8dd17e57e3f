import { DomainError } from '../../../kernel/src/index.js';
import { checkWebhookTarget, parseWebhookUrl } from './webhook-url-policy.js';

function caught(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('parseWebhookUrl', () => {
  it('accepts http and https URLs and returns them normalised', () => {
    expect(parseWebhookUrl('https://hooks.example.com/in?x=1').href).toBe('https://hooks.example.com/in?x=1');
    expect(parseWebhookUrl('HTTP://Example.COM:8080/a').href).toBe('http://example.com:8080/a');
    expect(parseWebhookUrl('https://example.com.:443/').href).toBe('https://example.com./');
    expect(parseWebhookUrl('http://[2606:4700::1111]:65535/').port).toBe('65535');
  });

  it.each([
    ['not a url'],
    ['/relative/path'],
    ['http://'],
    ['https://exa mple.com/'],
    ['http://example.com:70000/'],
    [''],
  ])('rejects %p as invalid (400) with the url field named', (raw) => {
    const error = caught(() => parseWebhookUrl(raw));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('url_invalid');
    expect(error.details).toEqual([{ field: 'url', message: error.message }]);
  });

  it('rejects a non-string as invalid', () => {
    expect(caught(() => parseWebhookUrl(42 as unknown as string)).kind).toBe('invalid');
  });

  it.each([
    ['ftp://example.com/', /scheme "ftp"/],
    ['file:///etc/passwd', /scheme "file"/],
    ['javascript:alert(1)', /scheme "javascript"/],
    ['gopher://example.com/', /scheme/],
    ['https://user:pass@example.com/', /username or password/],
    ['https://user@example.com/', /username or password/],
    ['http://example.com:0/', /port 0/],
    ['http://./', /not a valid host name/],
    ['http://a..b/', /not a valid host name/],
    [`https://example.com/${'a'.repeat(2048)}`, /longer than 2048/],
  ])('refuses %s (422)', (raw, why) => {
    const error = caught(() => parseWebhookUrl(raw));
    expect(error.kind).toBe('refused');
    expect(error.code).toBe('url_refused');
    expect(error.message).toMatch(why);
  });

  it('accepts exactly 2048 characters', () => {
    const base = 'https://example.com/';
    expect(() => parseWebhookUrl(base + 'a'.repeat(2048 - base.length))).not.toThrow();
  });
});

describe('checkWebhookTarget', () => {
  const noDns = async (): Promise<string[]> => {
    throw new Error('DNS must not be consulted');
  };
  const check = (raw: string, lookup: (host: string) => Promise<string[]> = noDns) =>
    checkWebhookTarget(parseWebhookUrl(raw), { allowPrivateNetworks: false, lookup });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'], // decimal
    ['http://0x7f.1/', '127.0.0.1'], // hex, short
    ['http://127.1:8080/', '127.0.0.1'], // short
    ['http://0177.0.0.1/', '127.0.0.1'], // octal
    ['http://0/', '0.0.0.0'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://10.0.0.5/', '10.0.0.5'],
    ['http://[::1]/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1'],
    ['http://[fd00::1]/', 'fd00::1'],
    ['http://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe'],
  ])('refuses the private literal %s without DNS', async (raw, address) => {
    const error = await rejection(check(raw));
    expect(error.kind).toBe('refused');
    expect(error.code).toBe('private_network');
    expect(error.message).toContain(`(${address})`);
    expect(error.message).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS=true');
  });

  it('accepts public literals without DNS', async () => {
    await expect(check('https://93.184.216.34/hook')).resolves.toBeUndefined();
    await expect(check('https://[2606:4700:4700::1111]/hook')).resolves.toBeUndefined();
  });

  it.each([
    ['http://localhost:3000/'],
    ['http://LOCALHOST./'],
    ['http://api.localhost/'],
    ['http://a.b.localhost/'],
  ])('refuses %s without DNS', async (raw) => {
    const error = await rejection(check(raw));
    expect(error.code).toBe('private_network');
    expect(error.message).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS');
  });

  it('resolves names and refuses when ANY address is private', async () => {
    const seen: string[] = [];
    const lookup = async (host: string) => {
      seen.push(host);
      return ['93.184.216.34', '10.1.2.3'];
    };
    const error = await rejection(check('https://mixed.example.com/hook', lookup));
    expect(seen).toEqual(['mixed.example.com']);
    expect(error.code).toBe('private_network');
    expect(error.message).toBe(
      'mixed.example.com resolves to a private/loopback/link-local address (10.1.2.3); ' +
        'set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it',
    );
  });

  it('accepts names that resolve only to public addresses', async () => {
    await expect(
      check('https://hooks.example.com/', async () => ['93.184.216.34', '2606:2800:220:1::1']),
    ).resolves.toBeUndefined();
  });

  it('refuses names that do not resolve', async () => {
    const notFound = async (): Promise<string[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const error = await rejection(check('https://nope.example.com/', notFound));
    expect(error.kind).toBe('refused');
    expect(error.code).toBe('unresolvable_host');
    expect(error.message).toContain('ENOTFOUND');
    expect((await rejection(check('https://empty.example.com/', async () => []))).code).toBe(
      'unresolvable_host',
    );
  });

  it('uses the system resolver by default (a .invalid name never resolves)', async () => {
    const error = await rejection(
      checkWebhookTarget(new URL('https://no-such-host.invalid/'), { allowPrivateNetworks: false }),
    );
    expect(error.code).toBe('unresolvable_host');
  });

  it('checks nothing beyond syntax when private networks are allowed', async () => {
    for (const raw of [
      'http://127.0.0.1:9/',
      'http://localhost/',
      'http://[::1]/',
      'https://no-such-host.invalid/',
    ]) {
      await expect(
        checkWebhookTarget(parseWebhookUrl(raw), { allowPrivateNetworks: true, lookup: noDns }),
      ).resolves.toBeUndefined();
    }
  });
});
