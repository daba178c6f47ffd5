import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Service } from './processes';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A Node backend in the test process, listening on one address; it can go down and come back. */
export class HttpBackend implements Service {
  private server?: Server;

  constructor(readonly name: string, private readonly host: string, private readonly port: number, private readonly handler: Handler) {}

  async start(): Promise<void> {
    const server = createServer(this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.host, port: this.port }, resolve);
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Down for `downMs`, as a deploy or a crash would take it; resolves once it listens again. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.start();
  }
}

/** Answers 200 with a short text: a healthy app. */
export const okHandler: Handler = (_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('backend ok\n');
};
