import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** nginx's own 502 page, as it sends it when what it passes requests to (PHP-FPM, a backend) does not answer. */
export const NGINX_502_PAGE = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';

/**
 * A small origin for Probe Origin on 127.0.0.1: it answers 502 with nginx's page where `badGateway(request)`
 * says so (by default the path /bad-gateway), and 200 with a short body otherwise. It records every request.
 */
export class TestOrigin {
  readonly requests: SeenRequest[] = [];
  private readonly server: Server;

  constructor(badGateway: (request: SeenRequest) => boolean = (request) => request.url === '/bad-gateway') {
    this.server = createServer((request, response) => {
      const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers };
      this.requests.push(seen);
      const bad = badGateway(seen);
      const body = bad ? NGINX_502_PAGE : 'hello from the origin\n';
      response.writeHead(bad ? 502 : 200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), Server: 'nginx/1.22.1' });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
  }

  /** Listens on a free port of 127.0.0.1 and resolves with it. */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
