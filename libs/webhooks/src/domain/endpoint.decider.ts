import type { Decider } from '../../../kernel/src/index.js';
import type { EncryptedSecret } from './encrypted-secret.js';
import { EVENT_TYPES, WILDCARD } from './event-catalogue.js';
import { endpointAlreadyExists, endpointNotFound, unknownEventTypes } from './endpoint.errors.js';
import type { EndpointEvent } from './endpoint.events.js';
import type { EndpointState } from './endpoint.state.js';

export type EndpointCommand =
  | {
      type: 'RegisterEndpoint';
      endpointId: string;
      workspaceId: string;
      url: string;
      events: string[];
      description: string;
      secret: EncryptedSecret;
      now: Date;
    }
  | {
      type: 'UpdateEndpoint';
      workspaceId: string;
      changes: { url?: string; events?: string[]; description?: string; status?: 'enabled' | 'disabled' };
      now: Date;
    }
  | {
      type: 'RotateSecret';
      workspaceId: string;
      secret: EncryptedSecret;
      previousSecretExpiresInMs: number;
      now: Date;
    }
  | { type: 'DisableEndpoint'; workspaceId: string; reason: 'manual' | 'gone'; now: Date }
  | { type: 'DeleteEndpoint'; workspaceId: string; now: Date };

/** ["*"] alone, or a non-empty list of catalogue types without duplicates. */
export function normalizeSubscription(events: string[]): string[] {
  if (events.includes(WILDCARD)) return [WILDCARD];
  const unknown = events.filter((t) => !EVENT_TYPES.has(t));
  if (unknown.length > 0) throw unknownEventTypes(unknown);
  return [...new Set(events)];
}

export const endpointDecider: Decider<EndpointState, EndpointCommand, EndpointEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'RegisterEndpoint') {
      if (state.status !== 'absent') throw endpointAlreadyExists();
      return [
        {
          type: 'EndpointRegistered',
          data: {
            endpointId: command.endpointId,
            workspaceId: command.workspaceId,
            url: command.url,
            events: normalizeSubscription(command.events),
            description: command.description,
            secret: command.secret,
            createdAt: command.now.toISOString(),
          },
        },
      ];
    }
    // Missing, deleted and another workspace's endpoints all look the same from outside.
    if (state.status === 'absent' || state.status === 'deleted' || state.workspaceId !== command.workspaceId)
      throw endpointNotFound();
    const ids = { endpointId: state.endpointId, workspaceId: state.workspaceId };
    const at = command.now.toISOString();
    switch (command.type) {
      case 'UpdateEndpoint': {
        const out: EndpointEvent[] = [];
        const { status, ...rest } = command.changes;
        const changes: { url?: string; events?: string[]; description?: string } = {};
        if (rest.url !== undefined && rest.url !== state.url) changes.url = rest.url;
        if (rest.events !== undefined) {
          const events = normalizeSubscription(rest.events);
          if (JSON.stringify(events) !== JSON.stringify(state.events)) changes.events = events;
        }
        if (rest.description !== undefined && rest.description !== state.description)
          changes.description = rest.description;
        if (Object.keys(changes).length > 0)
          out.push({ type: 'EndpointUpdated', data: { ...ids, changes, updatedAt: at } });
        if (status === 'disabled' && state.status === 'enabled') {
          out.push({ type: 'EndpointDisabled', data: { ...ids, reason: 'manual', disabledAt: at } });
        }
        if (status === 'enabled' && state.status === 'disabled')
          out.push({ type: 'EndpointEnabled', data: { ...ids, enabledAt: at } });
        return out;
      }
      case 'RotateSecret':
        return [
          {
            type: 'SecretRotated',
            data: {
              ...ids,
              secret: command.secret,
              previousSecretExpiresAt:
                command.previousSecretExpiresInMs > 0
                  ? new Date(command.now.getTime() + command.previousSecretExpiresInMs).toISOString()
                  : null,
              rotatedAt: at,
            },
          },
        ];
      case 'DisableEndpoint':
        if (state.status === 'disabled') return [];
        return [{ type: 'EndpointDisabled', data: { ...ids, reason: command.reason, disabledAt: at } }];
      case 'DeleteEndpoint':
        return [{ type: 'EndpointDeleted', data: { ...ids, deletedAt: at } }];
    }
  },

  evolve(state, event) {
    if (event.type === 'EndpointRegistered') {
      const d = event.data;
      return {
        status: 'enabled',
        endpointId: d.endpointId,
        workspaceId: d.workspaceId,
        url: d.url,
        events: d.events,
        description: d.description,
        secrets: { current: d.secret, previous: null },
        disabledReason: null,
        createdAt: d.createdAt,
        updatedAt: d.createdAt,
      };
    }
    if (state.status === 'absent') return state;
    switch (event.type) {
      case 'EndpointUpdated':
        return { ...state, ...event.data.changes, updatedAt: event.data.updatedAt };
      case 'SecretRotated':
        return {
          ...state,
          secrets: {
            current: event.data.secret,
            previous: event.data.previousSecretExpiresAt
              ? { secret: state.secrets.current, expiresAt: event.data.previousSecretExpiresAt }
              : null,
          },
          updatedAt: event.data.rotatedAt,
        };
      case 'EndpointDisabled':
        return {
          ...state,
          status: 'disabled',
          disabledReason: event.data.reason,
          updatedAt: event.data.disabledAt,
        };
      case 'EndpointEnabled':
        return { ...state, status: 'enabled', disabledReason: null, updatedAt: event.data.enabledAt };
      case 'EndpointDeleted':
        return { ...state, status: 'deleted', updatedAt: event.data.deletedAt };
      default:
        return state;
    }
  },
};
