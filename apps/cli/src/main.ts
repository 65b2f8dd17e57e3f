/* eslint-disable no-console */
import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { AdminClient } from './admin-client.js';
import { renderProgress } from './progress-bar.js';

interface ProjectionsAnswer {
  head: number;
  projections: { name: string; checkpoint: number; lag: number; state: string }[];
  rebuild: {
    status: string;
    processed: number;
    total: number;
    eventsPerSecond: number;
    error?: string;
  } | null;
}

const program = new Command()
  .name('whatsmine')
  .description('Admin CLI for WhatsMine Developer Tools (talks to a running service)')
  .option('--url <url>', 'service base URL (default $WHATSMINE_URL or http://127.0.0.1:$PORT)')
  .option('--key <key>', 'admin key (default $ADMIN_API_KEY or $DATA_DIR/admin-api-key)');

const client = () => AdminClient.fromEnvironment(program.opts<{ url?: string; key?: string }>());

program
  .command('audit')
  .description('print the event history (oldest first), or export it as NDJSON')
  .option('--type <type>')
  .option('--stream <streamId>')
  .option('--workspace <workspaceId>')
  .option('--from <iso>')
  .option('--to <iso>')
  .option('--after <position>', 'start after this store position', '0')
  .option('--limit <n>', 'events to print (ignored with --ndjson)', '50')
  .option('--ndjson [file]', 'stream every matching event as NDJSON to stdout or a file')
  .action(async (o: Record<string, string | boolean | undefined>) => {
    const q = new URLSearchParams();
    if (o.type) q.set('type', String(o.type));
    if (o.stream) q.set('streamId', String(o.stream));
    if (o.workspace) q.set('workspaceId', String(o.workspace));
    if (o.from) q.set('from', String(o.from));
    if (o.to) q.set('to', String(o.to));
    q.set('after', String(o.after));
    if (o.ndjson) {
      q.set('format', 'ndjson');
      const out = typeof o.ndjson === 'string' ? createWriteStream(o.ndjson) : process.stdout;
      let n = 0;
      await client().stream(`/admin/v1/audit/events?${q}`, (line) => {
        out.write(line + '\n');
        n++;
      });
      if (out !== process.stdout) {
        out.end();
        console.error(`${n} events written to ${String(o.ndjson)}`);
      }
      return;
    }
    q.set('limit', String(o.limit));
    const page = await client().request<{
      data: {
        position: number;
        recordedAt: string;
        type: string;
        streamId: string;
        metadata: { actor?: { type: string; id?: string } };
      }[];
      nextCursor: string | null;
    }>('GET', `/admin/v1/audit/events?${q}`);
    for (const e of page.data) {
      const actor = e.metadata.actor
        ? `${e.metadata.actor.type}${e.metadata.actor.id ? ':' + e.metadata.actor.id : ''}`
        : '-';
      console.log(
        `${String(e.position).padStart(8)}  ${e.recordedAt}  ${e.type.padEnd(24)} ${e.streamId.padEnd(44)} ${actor}`,
      );
    }
    if (page.nextCursor) console.log(`… more: --after ${page.nextCursor}`);
  });

program
  .command('rebuild')
  .description('rebuild every read model from the full history, with a progress bar')
  .action(async () => {
    const c = client();
    await c.request('POST', '/admin/v1/projections/rebuild');
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const s = await c.request<ProjectionsAnswer>('GET', '/admin/v1/projections');
      const r = s.rebuild;
      if (!r) continue;
      process.stderr.write(`\r${renderProgress(r.processed, r.total, r.eventsPerSecond)}`);
      if (r.status === 'done') {
        process.stderr.write('\nrebuild done; read models switched over\n');
        return;
      }
      if (r.status === 'failed') throw new Error(`rebuild failed: ${r.error ?? 'unknown error'}`);
    }
  });

program
  .command('recover')
  .description('re-send what an endpoint missed since a time (and is subscribed to now)')
  .requiredOption('--workspace <workspaceId>')
  .requiredOption('--endpoint <endpointId>')
  .requiredOption('--since <iso>')
  .option('--until <iso>')
  .option('--dry-run', 'only count')
  .action(
    async (o: { workspace: string; endpoint: string; since: string; until?: string; dryRun?: boolean }) => {
      const r = await client().request<{ count: number; deliveryIds: string[] }>(
        'POST',
        `/admin/v1/workspaces/${encodeURIComponent(o.workspace)}/endpoints/${encodeURIComponent(o.endpoint)}/recover`,
        { since: o.since, until: o.until, dryRun: o.dryRun ?? false },
      );
      console.log(
        o.dryRun
          ? `${r.count} events would be re-sent`
          : `${r.count} deliveries created: ${r.deliveryIds.join(', ')}`,
      );
    },
  );

program
  .command('stats')
  .description('store head, projections with checkpoint and lag, last rebuild')
  .action(async () => {
    const s = await client().request<ProjectionsAnswer>('GET', '/admin/v1/projections');
    console.log(`event store head: ${s.head}`);
    for (const p of s.projections)
      console.log(
        `  ${p.name.padEnd(14)} checkpoint ${String(p.checkpoint).padStart(8)}  lag ${String(p.lag).padStart(6)}  ${p.state}`,
      );
    if (s.rebuild)
      console.log(`last rebuild: ${s.rebuild.status}, ${s.rebuild.processed}/${s.rebuild.total} events`);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
