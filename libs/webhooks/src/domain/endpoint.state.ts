import type { EncryptedSecret } from './encrypted-secret.js';

export interface EndpointSecrets {
  current: EncryptedSecret;
  previous: { secret: EncryptedSecret; expiresAt: string } | null;
}

export type EndpointState =
  | { status: 'absent' }
  | {
      status: 'enabled' | 'disabled' | 'deleted';
      endpointId: string;
      workspaceId: string;
      url: string;
      events: string[];
      description: string;
      secrets: EndpointSecrets;
      disabledReason: 'manual' | 'gone' | null;
      createdAt: string;
      updatedAt: string;
    };

export type ExistingEndpoint = Exclude<EndpointState, { status: 'absent' }>;

/** Secrets that sign a delivery made at `now`: the current one, plus the previous one during its overlap. */
export function activeSecrets(secrets: EndpointSecrets, now: Date): EncryptedSecret[] {
  const out = [secrets.current];
  if (secrets.previous && new Date(secrets.previous.expiresAt) > now) out.push(secrets.previous.secret);
  return out;
}
