import { causeOf, type Cause } from './causes';
import { parseLogLine, requestTarget, type LogEvent } from './log-event';

/** One context a cause was seen in: a server, Host, path, upstream and pool. */
export interface LogSample {
  event: LogEvent;
  /** 0-based line of its first occurrence. */
  line: number;
  count: number;
}

/** Every line of one cause, folded into counts, times and a few distinct samples. */
export interface CauseGroup {
  cause: Cause;
  count: number;
  first?: string;
  last?: string;
  /** 0-based lines of the first and the last occurrence, and their lengths (for an editor to underline them). */
  firstLine: number;
  lastLine: number;
  firstLineLength: number;
  lastLineLength: number;
  /** Distinct contexts, most frequent first; at most MAX_SAMPLES however long the log. */
  samples: LogSample[];
}

/** Enough to relate a cause to the few locations it comes from; more would only repeat them. */
export const MAX_SAMPLES = 8;

/**
 * Folds log lines into one group per cause, in memory bounded by the catalogue's size times MAX_SAMPLES,
 * whatever the number of lines.
 */
export class CauseGroups {
  private readonly groups = new Map<string, CauseGroup & { byContext: Map<string, LogSample> }>();
  private linesRead = 0;
  private linesRecognised = 0;

  get lines(): number {
    return this.linesRead;
  }

  /** Lines that reported a cause of the catalogue. */
  get recognised(): number {
    return this.linesRecognised;
  }

  /** Reads the next line of the log. */
  addLine(line: string): void {
    const index = this.linesRead++;
    const event = parseLogLine(line);
    const cause = event && causeOf(event);
    if (!event || !cause) return;
    this.linesRecognised++;
    let group = this.groups.get(cause.id);
    if (!group) {
      group = { cause, count: 0, firstLine: index, lastLine: index, firstLineLength: line.length, lastLineLength: line.length, samples: [], byContext: new Map() };
      this.groups.set(cause.id, group);
    }
    group.count++;
    group.lastLine = index;
    group.lastLineLength = line.length;
    if (event.time && (!group.first || event.time < group.first)) group.first = event.time;
    if (event.time && (!group.last || event.time > group.last)) group.last = event.time;
    const key = contextKey(event);
    const sample = group.byContext.get(key);
    if (sample) sample.count++;
    else if (group.byContext.size < MAX_SAMPLES) group.byContext.set(key, { event, line: index, count: 1 });
  }

  /** The groups, the most frequent cause first. */
  result(): CauseGroup[] {
    return [...this.groups.values()]
      .map(({ byContext, ...group }) => ({ ...group, samples: [...byContext.values()].sort((a, b) => b.count - a.count || a.line - b.line) }))
      .sort((a, b) => b.count - a.count || a.firstLine - b.firstLine);
  }
}

/** What tells two requests' config apart: not the query string, the client or the time. */
function contextKey(event: LogEvent): string {
  const path = requestTarget(event.request)?.split('?')[0];
  // nginx's upstream field ends with the request's URI: the address before it is what matters.
  const upstream = event.upstream && /^[a-z]+:\/\/(?:unix:[^:]*|[^/]*)/.exec(event.upstream)?.[0];
  return [event.server, event.host, path, upstream ?? event.upstream, event.pool].join('\0');
}
