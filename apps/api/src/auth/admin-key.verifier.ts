import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { KEYS, type ResolvedKeys } from '../../../../libs/config/src/index.js';

/** Compares SHA-256 digests (equal length) in constant time, never the raw strings. */
@Injectable()
export class AdminKeyVerifier {
  private readonly expected: Buffer;

  constructor(@Inject(KEYS) keys: ResolvedKeys) {
    this.expected = createHash('sha256').update(keys.adminApiKey).digest();
  }

  verify(candidate: string): boolean {
    return timingSafeEqual(createHash('sha256').update(candidate).digest(), this.expected);
  }
}
