import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { CLOCK, type Clock, type CommandContext } from '../../../kernel/src/index.js';
import { EVENT_STORE, type EventStore, streamName } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { activeSecrets } from '../domain/endpoint.state.js';
import { type EventPublished, PUBLISHED_EVENT_CATEGORY } from '../domain/published-event.events.js';
import {
  DELIVERY_READ_REPOSITORY,
  type DeliveryReadRepository,
  type DeliveryView,
} from '../read-models/delivery-read.repository.js';
import {
  ENDPOINT_READ_REPOSITORY,
  type EndpointReadRepository,
} from '../read-models/endpoint-read.repository.js';
import { buildDeliveryHeaders } from '../transport/webhook-signer.js';
import { WebhookHttpSender } from '../transport/webhook-http-sender.js';
import { deliveryBody } from './delivery-body.js';
import { CancelDeliveryCommand, RecordAttemptCommand } from './delivery-commands.js';
import { DeliveryBacklog } from './delivery-backlog.js';
import { DispatchSignal } from './dispatch-signal.js';
import { PublishedEventCache } from './published-event-cache.js';
import { SECRET_VAULT, type SecretVault } from './secret-vault.port.js';

const INTERVAL_NAME = 'webhook-dispatch';
const USER_AGENT_VERSION = '0.1.0';

/**
 * Turns due deliveries into signed HTTP attempts. Due work lives in the delivery read model
 * (`status = pending AND nextAttemptAt <= now`), so schedules survive restarts; each delivery is
 * leased atomically before its attempt, so one delivery never has two attempts in flight, even
 * across processes. Concurrency is bounded overall and per endpoint, so a hanging endpoint only
 * ever holds its own slots.
 */
@Injectable()
export class DeliveryDispatcher {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private readonly owner = `dispatcher-${randomUUID()}`;
  private readonly inFlightByEndpoint = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly context: CommandContext = { actor: { type: 'system', id: 'delivery-dispatcher' } };
  private sender?: WebhookHttpSender;
  private running = false;
  private paused = false;
  private ticking = false;
  private again = false;
  private tickPending = false;
  private timer?: NodeJS.Timeout;
  private timerAt = 0;
  private unsubscribe?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DELIVERY_READ_REPOSITORY) private readonly deliveries: DeliveryReadRepository,
    @Inject(ENDPOINT_READ_REPOSITORY) private readonly endpoints: EndpointReadRepository,
    @Inject(SECRET_VAULT) private readonly vault: SecretVault,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: CommandBus,
    private readonly signal: DispatchSignal,
    private readonly published: PublishedEventCache,
    private readonly scheduler: SchedulerRegistry,
    private readonly backlog: DeliveryBacklog,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.backlog.track(true);
    this.sender = new WebhookHttpSender({ maxSockets: this.config.webhooks.maxConcurrency });
    // @nestjs/schedule drives the safety-net poll; the signal and the next-due timer give low latency.
    this.scheduler.addInterval(
      INTERVAL_NAME,
      setInterval(() => this.tick(), this.config.webhooks.dispatchPollMs),
    );
    this.unsubscribe = this.signal.on((at, endpointId) => {
      // An endpoint at its concurrency limit cannot start anything now; the completion of one of
      // its attempts ticks anyway. Claiming for it would only rescan its whole backlog, per publish.
      if (endpointId !== undefined && this.atLimit(endpointId)) return;
      this.wakeAt(at);
    });
    this.tick();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.backlog.track(false);
    this.unsubscribe?.();
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    this.sender?.close();
  }

  /** Schedules a tick for `at` (never sooner than `minDelayMs`); the earliest pending wake-up wins. */
  /** Stops claiming and waits for attempts in flight (a read-model switch must not strand their leases). */
  async pause(): Promise<void> {
    this.paused = true;
    await Promise.allSettled([...this.inFlight]);
  }

  resume(): void {
    this.paused = false;
    this.tick();
  }

  private atLimit(endpointId: string): boolean {
    return (this.inFlightByEndpoint.get(endpointId) ?? 0) >= this.config.webhooks.maxConcurrencyPerEndpoint;
  }

  private wakeAt(at: Date, minDelayMs = 0): void {
    if (!this.running) return;
    const target = Math.max(at.getTime(), Date.now() + minDelayMs);
    const delay = target - Date.now();
    if (delay >= this.config.webhooks.dispatchPollMs) return; // the poll interval covers it
    if (this.timerAt > Date.now() && this.timerAt <= target) return;
    clearTimeout(this.timer);
    this.timerAt = target;
    this.timer = setTimeout(
      () => {
        this.timerAt = 0;
        this.tick();
      },
      Math.max(0, delay),
    );
  }

  /**
   * A tick at the end of this event-loop turn: attempts that finish together free their slots
   * with one claim instead of one claim each.
   */
  private tickSoon(): void {
    if (this.tickPending) return;
    this.tickPending = true;
    setImmediate(() => {
      this.tickPending = false;
      this.tick();
    });
  }

  /** Claims as many due deliveries as there are free slots and starts their attempts. */
  tick(): void {
    if (!this.running || this.paused) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    this.claimAndStart()
      .catch((error: unknown) => this.logger.error(`dispatch failed: ${String(error)}`))
      .finally(() => {
        this.ticking = false;
        if (this.again) {
          this.again = false;
          this.tick();
        }
      });
  }

  private async claimAndStart(): Promise<void> {
    const w = this.config.webhooks;
    const free = w.maxConcurrency - this.inFlight.size;
    if (free > 0) {
      const busy = [...this.inFlightByEndpoint.keys()].filter((id) => this.atLimit(id));
      // Lease no more per endpoint than it may start: over-claiming a backlogged endpoint and handing
      // the surplus back cost ~50 lease writes per delivery.
      const room = (endpointId: string) =>
        w.maxConcurrencyPerEndpoint - (this.inFlightByEndpoint.get(endpointId) ?? 0);
      const claimed = await this.deliveries.claimDue(
        this.clock.now(),
        free,
        w.timeoutMs + 60_000,
        this.owner,
        busy,
        room,
      );
      for (const { view, revision } of claimed) {
        const n = this.inFlightByEndpoint.get(view.endpointId) ?? 0;
        if (n >= w.maxConcurrencyPerEndpoint) {
          // Over this endpoint's share: hand it back for a later round.
          await this.deliveries.releaseLease(view.deliveryId, this.owner);
          continue;
        }
        this.inFlightByEndpoint.set(view.endpointId, n + 1);
        this.backlog.started(view.endpointId, view.deliveryId, performance.now());
        const run = this.attempt(view, revision)
          .catch((error: unknown) => {
            this.logger.error(`attempt of ${view.deliveryId} failed: ${String(error)}`);
            return true;
          })
          .then(async (release) => {
            this.backlog.finished(view.endpointId, view.deliveryId);
            const left = (this.inFlightByEndpoint.get(view.endpointId) ?? 1) - 1;
            if (left <= 0) this.inFlightByEndpoint.delete(view.endpointId);
            else this.inFlightByEndpoint.set(view.endpointId, left);
            // A read model that has not caught up still shows the delivery as due: keep the lease
            // (it expires after the HTTP deadline + 60 s) rather than let it be sent again.
            // A release that fails leaves the lease to expire on its own; say so rather than hide it.
            if (release)
              await this.deliveries.releaseLease(view.deliveryId, this.owner).catch((error: unknown) => {
                this.logger.warn(
                  `lease of ${view.deliveryId} not released, it expires on its own: ${String(error)}`,
                );
              });
            this.inFlight.delete(run);
            this.tickSoon();
          });
        this.inFlight.add(run);
      }
    }
    // Leased or over-quota deliveries can be due without being claimable: look again shortly, not in a spin.
    const next = await this.deliveries.nextDueAt();
    if (next) this.wakeAt(next, 25);
  }

  /** One attempt; resolves to whether the lease may be released (the read model shows the outcome). */
  private async attempt(view: DeliveryView, revision?: number): Promise<boolean> {
    const stored = await this.endpoints.get(view.endpointId);
    const endpoint = stored?.state;
    if (!endpoint || endpoint.status === 'deleted' || (endpoint.status === 'disabled' && !view.test)) {
      const reason = !endpoint || endpoint.status === 'deleted' ? 'endpoint deleted' : 'endpoint disabled';
      return this.sync.waitForApplied(
        await this.commands.execute<CancelDeliveryCommand, number>(
          new CancelDeliveryCommand(view.deliveryId, reason, this.context),
        ),
      );
    }
    const event = await this.publishedEvent(view.eventId);
    const now = this.clock.now();
    const [current, ...previous] = await Promise.all(
      activeSecrets(endpoint.secrets, now).map((s) => this.vault.decrypt(endpoint.endpointId, s)),
    );
    if (!current) {
      return this.sync.waitForApplied(
        await this.commands.execute<CancelDeliveryCommand, number>(
          new CancelDeliveryCommand(view.deliveryId, 'endpoint deleted', this.context),
        ),
      );
    }
    const body = deliveryBody(event);
    const attempt = view.attemptCount + 1;
    const headers = buildDeliveryHeaders({
      deliveryId: view.deliveryId,
      eventType: view.eventType,
      attempt,
      timestampSeconds: Math.floor(now.getTime() / 1000),
      body,
      currentSecret: current,
      previousSecrets: previous.filter((s): s is string => s !== null),
      userAgentVersion: USER_AGENT_VERSION,
    });
    const outcome = await this.sender!.send({
      url: endpoint.url,
      headers,
      body,
      timeoutMs: this.config.webhooks.timeoutMs,
      responseBodyLimit: this.config.webhooks.responseBodyLimit,
      allowPrivateNetworks: this.config.webhooks.allowPrivateNetworks,
    });
    const position = await this.commands.execute<RecordAttemptCommand, number>(
      new RecordAttemptCommand(
        view.deliveryId,
        attempt,
        headers,
        outcome,
        { ...this.context, causationId: view.deliveryId },
        revision === undefined ? undefined : { state: view, revision },
      ),
    );
    // Release the lease only once the read model shows the new schedule, or the delivery could be
    // claimed again. Also after a success: a manual retry makes it due again at once.
    return this.sync.waitForApplied(position);
  }

  private async publishedEvent(eventId: string): Promise<EventPublished['data']> {
    const cached = this.published.get(eventId);
    if (cached) return cached;
    const [first] = await this.store.readStream(streamName(PUBLISHED_EVENT_CATEGORY, eventId));
    if (!first) throw new Error(`published event ${eventId} not found`);
    const data = (first as unknown as EventPublished).data;
    this.published.remember(data);
    return data;
  }
}
