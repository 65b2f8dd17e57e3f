import type { Decider } from '../../../kernel/src/index.js';
import { deliveryCancelled, deliveryNotFound } from './delivery.errors.js';
import type { AttemptRecord, DeliveryEvent } from './delivery.events.js';
import type { DeliveryState } from './delivery.state.js';
import { hasAttemptsLeft, retryDelayMs, type RetrySettings } from './retry-policy.js';

export type DeliveryCommand =
  | {
      type: 'RequestDelivery';
      deliveryId: string;
      endpointId: string;
      workspaceId: string;
      eventId: string;
      eventType: string;
      test: boolean;
      recovered: boolean;
      /** Recovery spreads its deliveries out; otherwise the first attempt is due at once. */
      notBefore?: Date;
      now: Date;
    }
  | {
      type: 'RecordAttempt';
      attempt: AttemptRecord;
      /** The answer was `410 Gone`: the subscriber asks us to stop. */
      gone: boolean;
      succeeded: boolean;
      retryAfterMs: number | null;
      settings: RetrySettings;
      random: () => number;
      now: Date;
    }
  | { type: 'CancelDelivery'; reason: 'endpoint deleted' | 'endpoint disabled'; now: Date }
  | { type: 'RetryDelivery'; workspaceId: string; now: Date };

export const deliveryDecider: Decider<DeliveryState, DeliveryCommand, DeliveryEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'RequestDelivery') {
      if (state.status !== 'absent') return []; // the saga may ask twice after a crash: already done
      const c = command;
      return [
        {
          type: 'DeliveryRequested',
          data: {
            deliveryId: c.deliveryId,
            endpointId: c.endpointId,
            workspaceId: c.workspaceId,
            eventId: c.eventId,
            eventType: c.eventType,
            requestedAt: c.now.toISOString(),
            nextAttemptAt: (c.notBefore && c.notBefore > c.now ? c.notBefore : c.now).toISOString(),
            test: c.test,
            recovered: c.recovered,
          },
        },
      ];
    }
    if (state.status === 'absent') throw deliveryNotFound();
    const ids = {
      deliveryId: state.deliveryId,
      endpointId: state.endpointId,
      workspaceId: state.workspaceId,
    };
    const at = command.now.toISOString();
    switch (command.type) {
      case 'RecordAttempt': {
        const n = command.attempt.attempt;
        const attempted: DeliveryEvent = { type: 'DeliveryAttempted', data: { ...ids, ...command.attempt } };
        // Cancelled while the request was in flight: the attempt still happened and is logged, nothing follows.
        if (state.status !== 'pending') return [attempted];
        if (command.succeeded)
          return [attempted, { type: 'DeliverySucceeded', data: { ...ids, attempt: n, succeededAt: at } }];
        if (command.gone)
          return [
            attempted,
            { type: 'DeliveryFailed', data: { ...ids, attempt: n, reason: 'gone', failedAt: at } },
          ];
        if (state.manual)
          return [
            attempted,
            {
              type: 'DeliveryFailed',
              data: { ...ids, attempt: n, reason: 'manual-retry-failed', failedAt: at },
            },
          ];
        if (!hasAttemptsLeft(n, command.settings)) {
          return [
            attempted,
            { type: 'DeliveryFailed', data: { ...ids, attempt: n, reason: 'exhausted', failedAt: at } },
          ];
        }
        const delay = retryDelayMs(n, command.settings, command.random, command.retryAfterMs);
        return [
          attempted,
          {
            type: 'DeliveryRetryScheduled',
            data: {
              ...ids,
              attempt: n,
              nextAttemptAt: new Date(command.now.getTime() + delay).toISOString(),
            },
          },
        ];
      }
      case 'CancelDelivery':
        if (state.status !== 'pending') return [];
        return [{ type: 'DeliveryCancelled', data: { ...ids, reason: command.reason, cancelledAt: at } }];
      case 'RetryDelivery':
        if (state.workspaceId !== command.workspaceId) throw deliveryNotFound();
        if (state.status === 'cancelled') throw deliveryCancelled();
        return [{ type: 'DeliveryRetryRequested', data: { ...ids, requestedAt: at } }];
    }
  },

  evolve(state, event) {
    if (event.type === 'DeliveryRequested') {
      const d = event.data;
      return {
        status: 'pending',
        deliveryId: d.deliveryId,
        endpointId: d.endpointId,
        workspaceId: d.workspaceId,
        eventId: d.eventId,
        eventType: d.eventType,
        attemptCount: 0,
        nextAttemptAt: d.nextAttemptAt,
        manual: false,
        createdAt: d.requestedAt,
        updatedAt: d.requestedAt,
      };
    }
    if (state.status === 'absent') return state;
    switch (event.type) {
      case 'DeliveryAttempted':
        return {
          ...state,
          attemptCount: event.data.attempt,
          nextAttemptAt: null,
          updatedAt: event.data.startedAt,
        };
      case 'DeliverySucceeded':
        return {
          ...state,
          status: 'succeeded',
          nextAttemptAt: null,
          manual: false,
          updatedAt: event.data.succeededAt,
        };
      case 'DeliveryRetryScheduled':
        return { ...state, status: 'pending', nextAttemptAt: event.data.nextAttemptAt };
      case 'DeliveryFailed':
        return {
          ...state,
          status: 'failed',
          nextAttemptAt: null,
          manual: false,
          updatedAt: event.data.failedAt,
        };
      case 'DeliveryCancelled':
        return { ...state, status: 'cancelled', nextAttemptAt: null, updatedAt: event.data.cancelledAt };
      case 'DeliveryRetryRequested':
        // A pending delivery keeps its schedule and just goes now; a finished one gets one more attempt.
        return {
          ...state,
          manual: state.status === 'pending' ? state.manual : true,
          status: 'pending',
          nextAttemptAt: event.data.requestedAt,
          updatedAt: event.data.requestedAt,
        };
      default:
        return state;
    }
  },
};
