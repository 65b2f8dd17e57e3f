import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A webhook subscriber that records, for every request, when it started and when it ended (the
 * answer finished or the connection closed), so a test can tell whether two attempts of one
 * delivery were in flight at the same time.
 */
export interface TimedRequest {
  deliveryId: string;
  attempt: number;
  /** The body's `id` (the event id). */
  eventId: string | undefined;
  /** performance.now() when the request headers arrived. */
  start: number;
  /** performance.now() when the answer was sent or the connection closed; undefined while open. */
  end: number | undefined;
}

export interface TimingReceiver {
  readonly url: string;
  readonly requests: TimedRequest[];
  close(): Promise<void>;
}

/** Answers 200 after a random delay in [0, maxDelayMs]. */
export async function startTimingReceiver(maxDelayMs = 20): Promise<TimingReceiver> {
  const requests: TimedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const record: TimedRequest = {
      deliveryId: String(req.headers['x-webhook-delivery'] ?? ''),
      attempt: Number(req.headers['x-webhook-attempt'] ?? 0),
      eventId: undefined,
      start: performance.now(),
      end: undefined,
    };
    requests.push(record);
    const finish = (): void => {
      record.end ??= performance.now();
    };
    res.once('finish', finish);
    res.once('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        record.eventId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string }).id;
      } catch {
        // not JSON: leave undefined
      }
      setTimeout(
        () => {
          if (!res.destroyed && !res.writableEnded)
            res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        },
        Math.floor(Math.random() * (maxDelayMs + 1)),
      );
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Pairs of requests with the same delivery id whose [start, end] intervals intersect. */
export function overlappingAttempts(requests: TimedRequest[]): Array<[TimedRequest, TimedRequest]> {
  const byDelivery = new Map<string, TimedRequest[]>();
  for (const r of requests) {
    const list = byDelivery.get(r.deliveryId) ?? [];
    list.push(r);
    byDelivery.set(r.deliveryId, list);
  }
  const overlaps: Array<[TimedRequest, TimedRequest]> = [];
  for (const list of byDelivery.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const aEnd = a.end ?? Number.POSITIVE_INFINITY;
        const bEnd = b.end ?? Number.POSITIVE_INFINITY;
        if (a.start < bEnd && b.start < aEnd) overlaps.push([a, b]);
      }
    }
  }
  return overlaps;
}
