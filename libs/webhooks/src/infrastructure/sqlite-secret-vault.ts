import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { SecretCipher } from '../transport/secret-cipher.js';
import { EndpointKeyDestroyedError, type SecretVault } from '../application/secret-vault.port.js';

/**
 * Embedded key store: one row per endpoint holding its data key, wrapped (AES-256-GCM) under
 * DATA_ENCRYPTION_KEY. Kept in its own file, not with the read models, because read models are
 * disposable and rebuilt while these keys are not derivable from anything.
 */
export class SqliteSecretVault implements SecretVault {
  private readonly db: Database.Database;
  private readonly master: SecretCipher;
  private readonly cache = new Map<string, SecretCipher>();
  /** Secrets already decrypted, per endpoint key: every attempt signs with the same one or two. */
  private readonly plain = new WeakMap<SecretCipher, Map<string, string>>();
  private readonly stmts;

  constructor(filename: string, masterKey: Buffer) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS endpoint_keys (endpoint_id TEXT PRIMARY KEY, wrapped_key TEXT, destroyed_at TEXT)`,
    );
    this.master = new SecretCipher(masterKey);
    this.stmts = {
      get: this.db.prepare<[string], { wrapped_key: string | null }>(
        'SELECT wrapped_key FROM endpoint_keys WHERE endpoint_id = ?',
      ),
      insert: this.db.prepare('INSERT OR IGNORE INTO endpoint_keys (endpoint_id, wrapped_key) VALUES (?, ?)'),
      destroy: this.db.prepare(
        `INSERT INTO endpoint_keys (endpoint_id, wrapped_key, destroyed_at) VALUES (?, NULL, ?)
         ON CONFLICT (endpoint_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = excluded.destroyed_at`,
      ),
    };
  }

  /**
   * The row is read on every call (an indexed lookup) so that a key destroyed by another process
   * sharing DATA_DIR is gone here too; only the unwrapping is cached, by wrapped key.
   */
  private keyFor(endpointId: string, create: boolean): SecretCipher | null {
    let row = this.stmts.get.get(endpointId);
    if (!row && create) {
      this.stmts.insert.run(endpointId, this.master.encrypt(randomBytes(32).toString('base64'), endpointId));
      row = this.stmts.get.get(endpointId);
    }
    if (!row?.wrapped_key) return null;
    const cached = this.cache.get(row.wrapped_key);
    if (cached) return cached;
    const cipher = new SecretCipher(Buffer.from(this.master.decrypt(row.wrapped_key, endpointId), 'base64'));
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(row.wrapped_key, cipher);
    return cipher;
  }

  async encrypt(endpointId: string, plaintext: string): Promise<string> {
    const key = this.keyFor(endpointId, true);
    if (!key) throw new EndpointKeyDestroyedError(endpointId);
    return key.encrypt(plaintext, endpointId);
  }

  /** The key row is still read every time, so a key destroyed meanwhile (by any process) yields null. */
  async decrypt(endpointId: string, blob: string): Promise<string | null> {
    const key = this.keyFor(endpointId, false);
    if (!key) return null;
    let secrets = this.plain.get(key);
    if (!secrets) this.plain.set(key, (secrets = new Map()));
    let secret = secrets.get(blob);
    if (secret === undefined) {
      secret = key.decrypt(blob, endpointId);
      if (secrets.size > 16) secrets.clear();
      secrets.set(blob, secret);
    }
    return secret;
  }

  async destroy(endpointId: string): Promise<void> {
    this.stmts.destroy.run(endpointId, new Date().toISOString());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
