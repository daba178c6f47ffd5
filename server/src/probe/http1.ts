import { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { captureResponse, type CapturedResponse } from './response';
import type { Header } from './types';
import type { StepLimits } from './wait';

export interface RequestSpec {
  method: 'HEAD' | 'GET';
  /** The URL's authority, sent as Host (or :authority) whatever address the socket is connected to. */
  authority: string;
  path: string;
  headers: Record<string, string>;
}

/** One HTTP/1.1 request on an open socket (TCP or TLS), the socket closed afterwards. */
export async function exchangeHttp1(socket: Socket, spec: RequestSpec, limits: StepLimits & { maxBodyBytes: number }): Promise<CapturedResponse> {
  try {
    return await captureResponse(limits, (sink) => {
      // new ClientRequest, not http.request: VS Code's proxy support patches http.request and gives it an agent
      // of its own, which ignores createConnection and connects to localhost:80 instead of using this socket.
      const outgoing = new ClientRequest({
        createConnection: () => socket,
        method: spec.method,
        path: spec.path,
        setHost: false,
        headers: { Host: spec.authority, Connection: 'close', ...spec.headers },
      });
      // Decrypted application data: the response's first byte, before its headers are parsed.
      socket.once('data', () => sink.firstByte());
      outgoing.on('error', (error) => sink.fail(error));
      outgoing.on('response', (response) => {
        sink.firstByte();
        sink.head(response.statusCode ?? 0, response.statusMessage, pairs(response.rawHeaders));
        response.on('data', (chunk: Buffer) => {
          if (!sink.data(chunk)) response.destroy();
        });
        // A body cut short emits 'error' (aborted) and then 'close' with `complete` false.
        response.on('error', () => undefined);
        response.on('close', () => sink.end(response.complete));
      });
      outgoing.end();
      return (reason) => outgoing.destroy(reason);
    });
  } finally {
    socket.destroy();
  }
}

function pairs(raw: string[]): Header[] {
  const headers: Header[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i], raw[i + 1]]);
  return headers;
}
