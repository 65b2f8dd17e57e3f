/** Streams are `<category>-<id>` so that EventStoreDB's `$ce-<category>` projections work. */
export function streamName(category: string, id: string): string {
  return `${category}-${id}`;
}

export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}
