import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;

/**
 * Encrypts signing secrets at rest (AES-256-GCM) so that a copy of the event store or read store
 * does not leak them. Output is one compact, versioned string: `v1.<iv>.<tag>.<ciphertext>`,
 * each part base64url. Optional associated data (e.g. the endpoint id) binds a ciphertext to its
 * owner: copying one endpoint's blob onto another fails to decrypt.
 */
export class SecretCipher {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== 32) {
      throw new Error('SecretCipher needs a 32-byte key (DATA_ENCRYPTION_KEY, base64 of 32 bytes)');
    }
    this.key = Buffer.from(key); // a private copy: the caller may reuse or zero its buffer
  }

  /** Builds the cipher from `DATA_ENCRYPTION_KEY` as configured: base64 of 32 bytes. */
  static fromBase64Key(base64Key: string): SecretCipher {
    return new SecretCipher(Buffer.from(base64Key.trim(), 'base64'));
  }

  encrypt(plaintext: string, associatedData?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : b64url(part)))
      .join('.');
  }

  decrypt(blob: string, associatedData?: string): string {
    const parts = blob.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new Error('encrypted secret has an unknown format (expected v1.<iv>.<tag>.<ciphertext>)');
    }
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [
      Buffer,
      Buffer,
      Buffer,
    ];
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new Error('encrypted secret is malformed (bad IV or tag length)');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // GCM cannot tell these apart, and saying which would help an attacker anyway.
      throw new Error('encrypted secret failed authentication: tampered, wrong key or wrong associated data');
    }
  }
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}
