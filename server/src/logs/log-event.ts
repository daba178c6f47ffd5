import { parseFpmLine } from './fpm-line';
import { parseNginxLine } from './nginx-line';

/** One line of an nginx error log or a PHP-FPM log, read into the parts the cause catalogue needs. */
export interface LogEvent {
  program: 'nginx' | 'php-fpm';
  /** Local time as the program wrote it, in a sortable form: `2024-01-03T12:00:00`. */
  time?: string;
  /** `error`, `warn`, `crit` (nginx) or `WARNING`, `ERROR` (PHP-FPM). */
  level: string;
  /** What happened, without the context nginx appends: `connect() failed (111: Connection refused)`. */
  message: string;
  /** nginx's phase of the request: the text after `while`, e.g. `connecting to upstream`. */
  action?: string;
  client?: string;
  /** nginx: the first `server_name` of the server that handled the request (or the listen address). */
  server?: string;
  /** The request line: `GET /api/users?id=1 HTTP/1.1`. */
  request?: string;
  /** Where nginx was connected: `http://127.0.0.1:9001/api/users`, `fastcgi://unix:/run/php/php8.2-fpm.sock:`. */
  upstream?: string;
  host?: string;
  /** PHP-FPM's `[pool www]`. */
  pool?: string;
}

/** Reads a line of either log; undefined for anything else (continuation lines, other programs, blank lines). */
export function parseLogLine(line: string): LogEvent | undefined {
  return parseNginxLine(line) ?? parseFpmLine(line);
}

/** The path of a request line (`GET /a/b?x=1 HTTP/1.1` → `/a/b?x=1`), as sent. */
export function requestTarget(request: string | undefined): string | undefined {
  const parts = request?.split(' ');
  return parts && parts.length >= 2 ? parts[1] : undefined;
}
