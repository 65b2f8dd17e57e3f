import type { CommandBus } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../kernel/src/index.js';
import type { EventStore, Subscription } from '../../event-store/src/event-store.port.js';
import type { CheckpointStore } from './checkpoint-store.port.js';

const SAGA_PARALLELISM = 64;

export interface SagaDefinition {
  name: string;
  handles: ReadonlySet<string>;
  map: (event: RecordedEvent) => object[];
  /**
   * Event types whose commands may be issued again at any later time without harm (they only
   * create what is missing). After those the checkpoint is saved at most every 250 ms; after any
   * other it is saved at once, so a crash never replays, say, a cancellation into a later state.
   */
  replaySafe?: ReadonlySet<string>;
}

const PERSIST_EVERY_MS = 250;

/**
 * Drives a saga from its own checkpointed subscription and awaits every command before moving the
 * checkpoint, so a crash re-issues (idempotent) commands instead of losing them. Its checkpoint is
 * never reset by a read-model rebuild: a saga reacts to live history once, not to replays.
 */
export class SagaRunner {
  private subscription?: Subscription;
  private stopped = false;
  private persistedAt = 0;
  position = 0;

  constructor(
    private readonly saga: SagaDefinition,
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly commands: CommandBus,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.position = await this.checkpoints.get(`saga:${this.saga.name}`);
    this.subscribe();
  }

  private subscribe(): void {
    this.subscription = this.store.subscribeToAll({
      after: this.position,
      onEvent: (event) => {
        if (this.saga.handles.has(event.type)) return this.react(event);
        this.position = event.position;
      },
      onError: (error) => {
        this.onError(error);
        if (!this.stopped) setTimeout(() => !this.stopped && this.subscribe(), 1000).unref();
      },
    });
  }

  private async react(event: RecordedEvent): Promise<void> {
    // A fan-out's commands touch distinct streams: run them side by side (their appends share one
    // group commit), a bounded slice at a time. Every one is awaited before the checkpoint moves.
    const commands = this.saga.map(event);
    for (let i = 0; i < commands.length; i += SAGA_PARALLELISM) {
      await Promise.all(commands.slice(i, i + SAGA_PARALLELISM).map((c) => this.commands.execute(c)));
    }
    this.position = event.position;
    const now = Date.now();
    if (!this.saga.replaySafe?.has(event.type) || now - this.persistedAt >= PERSIST_EVERY_MS) {
      await this.checkpoints.save(`saga:${this.saga.name}`, event.position);
      this.persistedAt = now;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    if (this.position > 0) await this.checkpoints.save(`saga:${this.saga.name}`, this.position);
  }
}
