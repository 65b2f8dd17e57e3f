/**
 * A signing secret as it is stored in events and read models: AES-256-GCM ciphertext under the
 * endpoint's own data key (see SecretVault). Deleting the endpoint destroys that key, so the
 * immutable history keeps the facts but no usable secret (crypto-shredding).
 */
export type EncryptedSecret = string;
