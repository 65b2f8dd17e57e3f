import type { Actor, EventMetadata } from './event-envelope.js';

/** Who is acting and under which request: becomes the metadata of every event a command appends. */
export interface CommandContext {
  actor: Actor;
  correlationId?: string;
  causationId?: string;
}

export function metadataOf(ctx: CommandContext): EventMetadata {
  const meta: EventMetadata = { actor: ctx.actor };
  if (ctx.correlationId) meta.correlationId = ctx.correlationId;
  if (ctx.causationId) meta.causationId = ctx.causationId;
  return meta;
}
