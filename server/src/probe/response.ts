import { codeOf, messageOf } from './errors';
import type { ExchangeFailure, FailureReason, Header, PhaseTimings } from './types';
import { abortReason, StepTimeout, type StepLimits } from './wait';

/** What a transport (HTTP/1.1 or HTTP/2) tells about the response as it arrives. */
export interface ResponseSink {
  /** Bytes of the response came, the first call its first byte: the last one tells a trickle from a stall. */
  received(): void;
  head(status: number, statusText: string | undefined, headers: Header[]): void;
  /** Keeps the chunk up to the byte limit; false once the limit is reached and reading should stop. */
  data(chunk: Buffer): boolean;
  /** `complete`: the body ended as framed; otherwise the connection closed first. */
  end(complete: boolean): void;
  /** Bytes came after the response's end (a body to HEAD, more than Content-Length); the response itself stands. */
  afterEnd(error: unknown): void;
  fail(error: unknown): void;
}

export interface CapturedResponse {
  timings: Pick<PhaseTimings, 'firstByte' | 'body'>;
  status?: number;
  statusText?: string;
  headers: Header[];
  body: Buffer;
  end: 'complete' | 'limit' | 'closed';
  failure?: ExchangeFailure;
  bytesAfterEnd?: string;
}

/** Codes that mean the server answered with something other than HTTP. */
const NOT_HTTP_CODES = new Set(['HPE_INVALID_CONSTANT', 'HPE_INVALID_VERSION', 'HPE_INVALID_STATUS', 'HPE_INVALID_HEADER_TOKEN', 'HPE_CR_EXPECTED', 'HPE_LF_EXPECTED']);

/** Codes for an HTTP answer whose length headers contradict each other (Content-Length with chunked, two lengths). */
const FRAMING_CODES = new Set(['HPE_UNEXPECTED_CONTENT_LENGTH', 'HPE_INVALID_CONTENT_LENGTH', 'HPE_INVALID_TRANSFER_ENCODING']);

/** A step whose last byte came within this share of its wait was still arriving, a trickle, when the time was up. */
const TRICKLE_SHARE = 0.5;

/**
 * Runs one request through `send` and records the response with its timings: time to first byte from the
 * request, body time from the first byte. Each of the two waits is bounded by the step timeout, the second one
 * however slowly the bytes trickle; a cancelled probe rejects with the abort reason. `send` returns how to tear
 * the transport down.
 */
export function captureResponse(limits: StepLimits & { maxBodyBytes: number }, send: (sink: ResponseSink) => (reason: Error) => void): Promise<CapturedResponse> {
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    let firstByteAt: number | undefined;
    let lastByteAt: number | undefined;
    let settled = false;
    const chunks: Buffer[] = [];
    let kept = 0;
    const response: CapturedResponse = { timings: {}, headers: [], body: Buffer.alloc(0), end: 'closed' };

    const finish = (end: CapturedResponse['end'], failure?: ExchangeFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      if (firstByteAt !== undefined) response.timings.body = performance.now() - firstByteAt;
      response.body = Buffer.concat(chunks);
      response.end = end;
      response.failure = failure;
      resolve(response);
    };
    const failWith = (error: unknown) => {
      // Until the status line and headers are in, the server has not answered, whatever bytes it sent.
      const phase = response.status === undefined ? 'first-byte' : 'body';
      finish('closed', { phase, reason: reasonOf(error), code: codeOf(error), message: messageOf(error) });
    };
    const onAbort = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const reason = abortReason(limits.signal!);
      teardown(reason);
      reject(reason);
    };
    const expire = () => {
      const step = firstByteAt === undefined ? 'first byte' : response.status === undefined ? 'headers' : 'body';
      const stillArriving = lastByteAt !== undefined && performance.now() - lastByteAt < limits.timeoutMs * TRICKLE_SHARE;
      const error = new StepTimeout(step, limits.timeoutMs, stillArriving);
      teardown(error);
      failWith(error);
    };

    let timer: NodeJS.Timeout | undefined;
    const teardown = send({
      received() {
        lastByteAt = performance.now();
        if (firstByteAt !== undefined) return;
        firstByteAt = lastByteAt;
        response.timings.firstByte = firstByteAt - sentAt;
        clearTimeout(timer);
        timer = setTimeout(expire, limits.timeoutMs);
      },
      head(status, statusText, headers) {
        Object.assign(response, { status, statusText, headers });
      },
      data(chunk) {
        const room = limits.maxBodyBytes - kept;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        kept += Math.min(chunk.length, room);
        if (kept < limits.maxBodyBytes) return true;
        finish('limit');
        return false;
      },
      end(complete) {
        finish(complete ? 'complete' : 'closed');
      },
      afterEnd(error) {
        response.bytesAfterEnd = messageOf(error);
      },
      fail: failWith,
    });
    timer ??= setTimeout(expire, limits.timeoutMs);
    if (limits.signal?.aborted) onAbort();
    else limits.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function reasonOf(error: unknown): FailureReason {
  if (error instanceof StepTimeout) return error.stillArriving ? 'trickle' : 'timeout';
  const code = codeOf(error);
  if (code === 'HPE_HEADER_OVERFLOW') return 'headers-too-large';
  if (NOT_HTTP_CODES.has(code)) return 'not-http';
  if (FRAMING_CODES.has(code)) return 'framing';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (code.startsWith('ERR_HTTP2')) return 'protocol';
  return 'error';
}
