import { createServer, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { listen } from './servers';

/**
 * Servers that misbehave on purpose, to hold the probe to its limits. Each answers the first bytes of a
 * connection (an HTTP request, or a TLS ClientHello) in its own hostile way, keeps those bytes, and counts the
 * connections still open, so that a test can tell the probe let go of every one.
 */
export interface HostileServer {
  port: number;
  /** The first bytes of each connection, as they came (latin1): the request line, or a ClientHello. */
  requests: string[];
  /** Resolves once every connection the server accepted is closed; rejects if one is still open after `withinMs`. */
  allClosed(withinMs: number): Promise<void>;
}

export type HostileAnswer = (socket: Socket, request: string) => void;

export async function hostileServer(t: TestContext, answer: HostileAnswer): Promise<HostileServer> {
  const requests: string[] = [];
  let open = 0;
  let closedAll: (() => void) | undefined;
  const server = createServer((socket) => {
    open++;
    // The probe hangs up in the middle of a write, which is the point: EPIPE and ECONNRESET are expected.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (--open === 0) closedAll?.();
    });
    socket.once('data', (data) => {
      requests.push(data.toString('latin1'));
      answer(socket, data.toString('latin1'));
    });
  });
  const port = await listen(t, server);
  return {
    port,
    requests,
    allClosed: (withinMs) => new Promise<void>((resolve, reject) => {
      if (open === 0) return resolve();
      const timer = setTimeout(() => reject(new Error(`${open} connection(s) still open ${withinMs} ms after the probe ended`)), withinMs);
      closedAll = () => {
        clearTimeout(timer);
        resolve();
      };
    }),
  };
}

/** Writes `head`, then a body that never ends, as fast as the peer takes it: a stream, or a runaway loop. */
export function endlessBody(socket: Socket, head: string): void {
  socket.write(head);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on('drain', pump);
  pump();
}

export const TRICKLE_INTERVAL_MS = 100;

/** Sends `text` and then `a`s forever, one byte every TRICKLE_INTERVAL_MS, the first at once: slowloris in reverse. */
export function trickle(socket: Socket, text: string): void {
  let sent = 0;
  const next = () => socket.write(sent < text.length ? text[sent++] : 'a');
  next();
  const timer = setInterval(next, TRICKLE_INTERVAL_MS);
  socket.on('close', () => clearInterval(timer));
}
