export const SECRET_VAULT = Symbol('SECRET_VAULT');

/** `encrypt` for an endpoint whose key was destroyed: the endpoint was deleted. */
export class EndpointKeyDestroyedError extends Error {
  constructor(readonly endpointId: string) {
    super('the endpoint key was destroyed');
    this.name = 'EndpointKeyDestroyedError';
  }
}

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
