/** One-line terminal progress: bar, percentage, events/s and ETA. */
export function renderProgress(done: number, total: number, eventsPerSecond: number): string {
  const width = 30;
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const eta = eventsPerSecond > 0 ? Math.max(0, (total - done) / eventsPerSecond) : Infinity;
  const etaText = Number.isFinite(eta) ? `${eta.toFixed(1)} s` : '—';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1)}%  ${done}/${total} events  ${Math.round(eventsPerSecond)} ev/s  ETA ${etaText}`;
}
