import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import type { CapturedResponse } from './response';
import type { BodyReport, Header } from './types';

/** Decoded bodies beyond this are not inflated further: the checks need to know that it decodes, not all of it. */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;
/** How much of the body the report keeps as text, to tell error pages apart. */
const TEXT_PREVIEW_CHARS = 4096;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export function headerValue(headers: Header[], name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** The body's length against its framing, and whether it decodes as its Content-Encoding says. */
export function inspectBody(response: CapturedResponse): BodyReport {
  const { headers, body, end } = response;
  const declared = headerValue(headers, 'content-length');
  const contentEncoding = headerValue(headers, 'content-encoding')?.trim().toLowerCase() || undefined;
  const decoded = contentEncoding ? decodeBody(body, contentEncoding, end !== 'complete') : undefined;
  const plain = decoded?.ok ? decoded.buffer : contentEncoding ? undefined : body;
  return {
    received: body.length,
    declaredLength: declared !== undefined && /^\d+$/.test(declared.trim()) ? Number(declared) : undefined,
    chunked: /\bchunked\b/i.test(headerValue(headers, 'transfer-encoding') ?? ''),
    end,
    contentEncoding,
    decoded: decoded && (decoded.ok ? { ok: true, bytes: decoded.capped ? MAX_DECODED_BYTES : decoded.buffer.length, capped: decoded.capped, compressedAgain: isGzip(decoded.buffer) } : decoded),
    undeclaredGzip: !contentEncoding && isGzip(body) && isTextType(headerValue(headers, 'content-type')),
    text: plain ? plain.subarray(0, TEXT_PREVIEW_CHARS).toString('utf8') : '',
  };
}

/** `capped`: the body decodes to more than MAX_DECODED_BYTES, of which `buffer` holds none. */
type Decoded = { ok: true; buffer: Buffer; capped: boolean } | { ok: false; error: string };

/**
 * Undoes each coding of the Content-Encoding list, last applied first. A body cut short (by the byte limit or
 * the server) is decoded as far as it goes, so that only bytes that are wrong count as broken.
 */
export function decodeBody(body: Buffer, contentEncoding: string, partial: boolean): Decoded | undefined {
  const codings = contentEncoding.split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity').reverse();
  let buffer = body;
  for (const coding of codings) {
    const decode = DECODERS.get(coding);
    if (!decode) return undefined;
    try {
      buffer = decode(buffer, partial);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { ok: true, buffer: Buffer.alloc(0), capped: true };
      return { ok: false, error: `${coding}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { ok: true, buffer, capped: false };
}

const zlibOptions = (partial: boolean): ZlibOptions => ({ finishFlush: partial ? constants.Z_SYNC_FLUSH : constants.Z_FINISH, maxOutputLength: MAX_DECODED_BYTES });

type Decoder = (body: Buffer, partial: boolean) => Buffer;

const gunzip: Decoder = (body, partial) => gunzipSync(body, zlibOptions(partial));

/** By coding, as the server names it: a Map, as a plain object would "decode" `Content-Encoding: constructor`. */
const DECODERS: ReadonlyMap<string, Decoder> = new Map([
  ['gzip', gunzip],
  ['x-gzip', gunzip],
  // Browsers accept deflate with and without its zlib wrapper, so both count as decodable.
  ['deflate', (body, partial) => {
    try {
      return inflateSync(body, zlibOptions(partial));
    } catch {
      return inflateRawSync(body, zlibOptions(partial));
    }
  }],
  ['br', (body, partial) => brotliDecompressSync(body, {
    finishFlush: partial ? constants.BROTLI_OPERATION_FLUSH : constants.BROTLI_OPERATION_FINISH,
    maxOutputLength: MAX_DECODED_BYTES,
  })],
]);

function isGzip(buffer: Buffer): boolean {
  return buffer.subarray(0, 2).equals(GZIP_MAGIC);
}

function isTextType(contentType: string | undefined): boolean {
  return /^(text\/|application\/(json|javascript|xml|xhtml))/i.test(contentType?.trim() ?? '');
}
