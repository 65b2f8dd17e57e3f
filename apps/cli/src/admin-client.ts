import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Talks to a running service's admin API, so the CLI works the same on SQLite and on EventStoreDB + MongoDB. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly adminKey: string,
  ) {}

  static fromEnvironment(opts: { url?: string; key?: string }): AdminClient {
    const baseUrl = (
      opts.url ??
      process.env.WHATSMINE_URL ??
      `http://127.0.0.1:${process.env.PORT ?? 3000}`
    ).replace(/\/$/, '');
    let key = opts.key ?? process.env.ADMIN_API_KEY;
    const file = join(process.env.DATA_DIR ?? './data', 'admin-api-key');
    if (!key && existsSync(file)) key = readFileSync(file, 'utf8').trim();
    if (!key)
      throw new Error(
        `No admin key: set ADMIN_API_KEY, pass --key, or run next to a DATA_DIR holding admin-api-key (${file}).`,
      );
    return new AdminClient(baseUrl, key);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${this.adminKey}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async stream(path: string, onLine: (line: string) => void): Promise<void> {
    const res = await fetch(this.baseUrl + path, { headers: { authorization: `Bearer ${this.adminKey}` } });
    if (!res.ok || !res.body) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    }
    if (buffered.trim()) onLine(buffered);
  }
}
