import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../kernel/src/index.js';
import { hashToken, isWellFormedToken } from '../domain/token-format.js';
import { TOKEN_READ_REPOSITORY, type TokenReadRepository } from '../read-models/token-read.repository.js';
import type { TokenView } from '../read-models/token.read-model.js';

export type AuthenticationResult =
  { ok: true; token: TokenView } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' };

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Bearer token → token view. Holds no cache of its own: every request asks the read model by hash,
 * and the read model answers so that a revocation is effective on the next request on every
 * instance (embedded: a positive cache checked against the file's data version on every lookup;
 * MongoDB: no cache). Revocation and expiry are checked here on every request.
 */
@Injectable()
export class TokenAuthenticator {
  private readonly logger = new Logger(TokenAuthenticator.name);
  private readonly lastTouched = new Map<string, number>();

  constructor(
    @Inject(TOKEN_READ_REPOSITORY) private readonly tokens: TokenReadRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(plaintext: string): Promise<AuthenticationResult> {
    // Shape and checksum first: a typo or garbage never reaches the store.
    if (!isWellFormedToken(plaintext)) return { ok: false, reason: 'malformed' };
    const token = await this.tokens.findByHash(hashToken(plaintext));
    if (!token) return { ok: false, reason: 'unknown' };
    if (token.revokedAt) return { ok: false, reason: 'revoked' };
    const now = this.clock.now();
    if (token.expiresAt && new Date(token.expiresAt) <= now) return { ok: false, reason: 'expired' };
    this.touch(token.id, now);
    return { ok: true, token };
  }

  /** lastUsedAt at a one-minute resolution, written after the response path (setImmediate). */
  private touch(tokenId: string, now: Date): void {
    const last = this.lastTouched.get(tokenId) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastTouched.set(tokenId, now.getTime());
    if (this.lastTouched.size > 100_000) this.lastTouched.clear();
    setImmediate(() => {
      this.tokens.touchLastUsed(tokenId, now.toISOString()).catch((error: unknown) => {
        this.logger.warn(`lastUsedAt update failed: ${String(error)}`);
      });
    });
  }
}
