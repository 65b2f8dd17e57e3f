export const SECRET_VAULT = Symbol('SECRET_VAULT');

/**
 * Per-endpoint data keys for signing secrets. Events are immutable, so secrets in them are
 * encrypted under a key that lives outside the event store; `destroy` (on endpoint deletion)
 * makes every stored copy of that endpoint's secrets unreadable: crypto-shredding.
 */
export interface SecretVault {
  encrypt(endpointId: string, plaintext: string): Promise<string>;
  /** null once the endpoint's key was destroyed. */
  decrypt(endpointId: string, blob: string): Promise<string | null>;
  destroy(endpointId: string): Promise<void>;
}
