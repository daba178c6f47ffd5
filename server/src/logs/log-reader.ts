import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CauseGroups, type CauseGroup } from './grouping';

export interface LogSummary {
  /** One group per cause, the most frequent first. */
  groups: CauseGroup[];
  lines: number;
  /** Lines that reported a cause of the catalogue. */
  recognised: number;
}

export interface ReadOptions {
  /** Stops the pass between two chunks; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** After each chunk: bytes read so far, and the total when known (a file's size). */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  totalBytes?: number;
}

/** nginx's lines are at most 2048 bytes (NGX_MAX_ERROR_STR); a longer one is a dump whose head is enough. */
const MAX_LINE = 16 * 1024;
/** Large reads: a 50 MB log in fifty steps. */
const CHUNK_BYTES = 1024 * 1024;

/** Cuts text that arrives in pieces into lines, holding at most one (truncated) partial line. */
class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.keep(text.slice(start, end));
      this.emit();
      start = end + 1;
    }
    this.keep(text.slice(start));
  }

  end(): void {
    if (this.partial !== '') this.emit();
  }

  private keep(piece: string): void {
    if (this.partial.length < MAX_LINE) this.partial += piece.slice(0, MAX_LINE - this.partial.length);
  }

  private emit(): void {
    const line = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    this.partial = '';
    this.onLine(line);
  }
}

/** Explains a log held in memory (an open document, the clipboard). */
export function analyzeLogText(text: string): LogSummary {
  const groups = new CauseGroups();
  const lines = new LineSplitter((line) => groups.addLine(line));
  lines.push(text);
  lines.end();
  return summary(groups);
}

/** Explains a log as it streams in, in one pass and bounded memory, whatever its length. */
export async function analyzeLogStream(chunks: AsyncIterable<Buffer | string>, options: ReadOptions = {}): Promise<LogSummary> {
  const groups = new CauseGroups();
  const lines = new LineSplitter((line) => groups.addLine(line));
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  options.signal?.throwIfAborted();
  for await (const chunk of chunks) {
    options.signal?.throwIfAborted();
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    lines.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    options.onProgress?.(bytes, options.totalBytes);
  }
  lines.push(decoder.end());
  lines.end();
  return summary(groups);
}

/** Explains a log file on disk, streamed. */
export function analyzeLogFile(path: string, options: Omit<ReadOptions, 'totalBytes'> = {}): Promise<LogSummary> {
  const totalBytes = statSync(path).size;
  return analyzeLogStream(createReadStream(path, { highWaterMark: CHUNK_BYTES }), { ...options, totalBytes });
}

function summary(groups: CauseGroups): LogSummary {
  return { groups: groups.result(), lines: groups.lines, recognised: groups.recognised };
}
