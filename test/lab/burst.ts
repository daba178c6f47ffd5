import { setMaxListeners } from 'node:events';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BurstOptions {
  url: string;
  requests: number;
  /** At most this many requests in flight. */
  concurrency: number;
  /** The whole burst ends by then: requests still open are aborted, the rest are not sent. */
  deadlineMs: number;
  /** At least this long between two request starts (a steady trickle rather than a burst). */
  spacingMs?: number;
  headers?: Record<string, string>;
}

export interface Reply {
  /** The status code, or the error that ended the request (`ECONNRESET`, `timeout`, …). */
  outcome: string;
  /** When it was sent, on the `performance.now()` clock. */
  sentAt: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Bytes of body kept per reply: enough to tell an error page from the app. */
const BODY_KEPT = 4096;
/** Browsers take response headers far larger than Node's 16 KB default; so must the visitors here. */
const MAX_HEADER_BYTES = 256 * 1024;

/** Sends a bounded burst of GET requests, each on its own connection, and returns what came back. */
export async function burst(options: BurstOptions): Promise<Reply[]> {
  const deadline = AbortSignal.timeout(options.deadlineMs);
  // Each request listens for the deadline until it is settled.
  setMaxListeners(options.requests + 1, deadline);
  const replies: Reply[] = [];
  let next = 0;
  let nextStart = performance.now();
  const worker = async () => {
    while (next < options.requests && !deadline.aborted) {
      next++;
      const now = performance.now();
      const wait = nextStart - now;
      nextStart = Math.max(nextStart, now) + (options.spacingMs ?? 0);
      if (wait > 0) await sleep(wait);
      if (deadline.aborted) return;
      replies.push(await get(options, deadline, performance.now()));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.requests) }, worker));
  return replies.sort((a, b) => a.sentAt - b.sentAt);
}

function get(options: BurstOptions, deadline: AbortSignal, sentAt: number): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request(options.url, { agent: false, headers: options.headers, signal: deadline, maxHeaderSize: MAX_HEADER_BYTES }, (response) => {
      let body = '';
      response.setEncoding('latin1');
      response.on('data', (chunk: string) => {
        if (body.length < BODY_KEPT) body += chunk.slice(0, BODY_KEPT - body.length);
      });
      response.on('end', () => resolve({ outcome: String(response.statusCode), sentAt, body, headers: response.headers }));
      response.on('error', (error) => resolve({ outcome: errorName(error), sentAt, body, headers: response.headers }));
    });
    req.on('error', (error) => resolve({ outcome: deadline.aborted ? 'timeout' : errorName(error), sentAt, body: '', headers: {} }));
    req.end();
  });
}

function errorName(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.name;
}

export function count(replies: readonly Reply[], outcome: string): number {
  return replies.filter((r) => r.outcome === outcome).length;
}

/** `502 ×18, 200 ×2`: every outcome, most frequent first. */
export function summarize(replies: readonly Reply[]): string {
  const counts = new Map<string, number>();
  for (const reply of replies) counts.set(reply.outcome, (counts.get(reply.outcome) ?? 0) + 1);
  if (counts.size === 0) return 'no replies';
  return [...counts].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${outcome} ×${n}`).join(', ');
}
