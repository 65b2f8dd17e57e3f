import type { EncryptedSecret } from './encrypted-secret.js';

export const ENDPOINT_CATEGORY = 'endpoint';

export interface EndpointRegistered {
  type: 'EndpointRegistered';
  data: {
    endpointId: string;
    workspaceId: string;
    url: string;
    events: string[];
    description: string;
    secret: EncryptedSecret;
    createdAt: string;
  };
}

export interface EndpointUpdated {
  type: 'EndpointUpdated';
  data: {
    endpointId: string;
    workspaceId: string;
    changes: { url?: string; events?: string[]; description?: string };
    updatedAt: string;
  };
}

export interface SecretRotated {
  type: 'SecretRotated';
  data: {
    endpointId: string;
    workspaceId: string;
    secret: EncryptedSecret;
    /** The secret it replaces keeps signing `webhook-signature` until then; null = retired at once. */
    previousSecretExpiresAt: string | null;
    rotatedAt: string;
  };
}

export interface EndpointDisabled {
  type: 'EndpointDisabled';
  data: { endpointId: string; workspaceId: string; reason: 'manual' | 'gone'; disabledAt: string };
}

export interface EndpointEnabled {
  type: 'EndpointEnabled';
  data: { endpointId: string; workspaceId: string; enabledAt: string };
}

export interface EndpointDeleted {
  type: 'EndpointDeleted';
  data: { endpointId: string; workspaceId: string; deletedAt: string };
}

export type EndpointEvent =
  EndpointRegistered | EndpointUpdated | SecretRotated | EndpointDisabled | EndpointEnabled | EndpointDeleted;

export const ENDPOINT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'EndpointRegistered',
  'EndpointUpdated',
  'SecretRotated',
  'EndpointDisabled',
  'EndpointEnabled',
  'EndpointDeleted',
]);
