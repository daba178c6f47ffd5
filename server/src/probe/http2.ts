import { connect, constants } from 'node:http2';
import type { Socket } from 'node:net';
import type { RequestSpec } from './http1';
import { captureResponse, type CapturedResponse } from './response';
import type { Header } from './types';
import type { StepLimits } from './wait';

/** One HTTP/2 request on a TLS socket whose ALPN chose h2, the session closed afterwards. */
export async function exchangeHttp2(socket: Socket, spec: RequestSpec, limits: StepLimits & { maxBodyBytes: number }): Promise<CapturedResponse> {
  const session = connect(`https://${spec.authority}`, { createConnection: () => socket });
  try {
    return await captureResponse(limits, (sink) => {
      session.on('error', (error) => sink.fail(error));
      const stream = session.request({ ':method': spec.method, ':path': spec.path, ...lowerCase(spec.headers) }, { endStream: true });
      stream.on('response', (headers) => {
        sink.received();
        sink.head(Number(headers[':status']), undefined, pairs(headers));
      });
      stream.on('data', (chunk: Buffer) => {
        sink.received();
        if (!sink.data(chunk)) stream.close(constants.NGHTTP2_CANCEL);
      });
      stream.on('error', (error) => sink.fail(error));
      stream.on('end', () => sink.end(true));
      stream.on('close', () => {
        // A reset stream may close without an 'error' event.
        if (stream.rstCode !== constants.NGHTTP2_NO_ERROR) sink.fail(Object.assign(new Error(`stream reset by the server (${rstName(stream.rstCode)})`), { code: 'ERR_HTTP2_STREAM_ERROR' }));
        else sink.end(true);
      });
      return (reason) => session.destroy(reason);
    });
  } finally {
    session.destroy();
  }
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function pairs(headers: Record<string, string | string[] | number | undefined>): Header[] {
  return Object.entries(headers)
    .filter(([name]) => !name.startsWith(':'))
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v): Header => [name, String(v)]));
}

/** RST_STREAM error codes of RFC 9113, section 7, by number. */
const RST_NAMES = [
  'NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED', 'FRAME_SIZE_ERROR',
  'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED',
];

function rstName(code: number): string {
  return RST_NAMES[code] ?? `code ${code}`;
}
