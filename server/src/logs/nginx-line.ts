import type { LogEvent } from './log-event';

/** `2024/01/03 12:00:00 [error] 1234#1234: *56 message`, the connection number being optional. */
const NGINX_LINE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}:\d{2}:\d{2}) \[([a-z]+)\] \d+#\d+: (?:\*\d+ )?(.*)$/;

/**
 * The context ngx_http_log_error_handler appends, in this order; each value but client and server is quoted.
 * A quoted value ends where the next key starts, so a request line holding `"` still reads whole.
 */
const QUOTED_KEYS = ['request', 'subrequest', 'upstream', 'host', 'referrer'] as const;
type QuotedKey = (typeof QUOTED_KEYS)[number];

const CLIENT_MARK = ', client: ';
const SERVER_MARK = ', server: ';
const ACTION_MARK = ' while ';

export function parseNginxLine(line: string): LogEvent | undefined {
  const match = NGINX_LINE.exec(line);
  if (!match) return undefined;
  const [, year, month, day, time, level, body] = match;
  const event: LogEvent = { program: 'nginx', time: `${year}-${month}-${day}T${time}`, level, message: body };
  // The last mark, so a message quoting a header that holds ", client: " keeps its text.
  const clientAt = body.lastIndexOf(CLIENT_MARK);
  const head = clientAt === -1 ? body : body.slice(0, clientAt);
  const actionAt = head.lastIndexOf(ACTION_MARK);
  event.message = actionAt === -1 ? head : head.slice(0, actionAt);
  if (actionAt !== -1) event.action = head.slice(actionAt + ACTION_MARK.length);
  if (clientAt !== -1) Object.assign(event, readContext(body.slice(clientAt + CLIENT_MARK.length)));
  return event;
}

function readContext(tail: string): Partial<LogEvent> {
  const serverAt = tail.indexOf(SERVER_MARK);
  if (serverAt === -1) return { client: tail };
  const context: Partial<LogEvent> & Partial<Record<QuotedKey, string>> = { client: tail.slice(0, serverAt) };
  const rest = tail.slice(serverAt + SERVER_MARK.length);
  let mark = nextMark(rest, 0, 0);
  context.server = rest.slice(0, mark?.at ?? rest.length);
  while (mark) {
    const start = mark.at + mark.text.length;
    const next = nextMark(rest, start, QUOTED_KEYS.indexOf(mark.key) + 1);
    const value = rest.slice(start, next?.at ?? rest.length);
    context[mark.key] = value.endsWith('"') ? value.slice(0, -1) : value;
    mark = next;
  }
  const { request, upstream, host, client, server } = context;
  return { client, server, request, upstream, host };
}

/** The earliest `, key: "` at or after `from`, for keys from `firstKey` on. */
function nextMark(text: string, from: number, firstKey: number): { key: QuotedKey; at: number; text: string } | undefined {
  let found: { key: QuotedKey; at: number; text: string } | undefined;
  for (const key of QUOTED_KEYS.slice(firstKey)) {
    const mark = `, ${key}: "`;
    const at = text.indexOf(mark, from);
    if (at !== -1 && (!found || at < found.at)) found = { key, at, text: mark };
  }
  return found;
}
