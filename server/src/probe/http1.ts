import { ClientRequest, type IncomingMessage } from 'node:http';
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

/**
 * The most status line and header bytes the probe reads. Node's default maxHeaderSize, set here so that no
 * --max-http-header-size changes it; Cloudflare too names response headers past 16 KB as a cause of 520. Node
 * counts the status text and each header's name and value, not the separators.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

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
        maxHeaderSize: MAX_HEADER_BYTES,
        headers: { Host: spec.authority, Connection: 'close', ...spec.headers },
      });
      // Decrypted application data, seen before the parser sees it: the first byte comes before the headers.
      socket.on('data', () => sink.received());
      let incoming: IncomingMessage | undefined;
      outgoing.on('error', (error) => {
        // Bytes after a complete response stop the parser; the response stands and its 'close' still comes.
        if (incoming?.complete) sink.afterEnd(error);
        else sink.fail(error);
      });
      outgoing.on('response', (response) => {
        incoming = response;
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
