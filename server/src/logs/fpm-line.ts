import type { LogEvent } from './log-event';

/**
 * `[03-Jan-2024 12:00:00] WARNING: [pool www] message`; the time has microseconds at log_level debug and
 * is missing where php-fpm logs to a terminal or a container's stderr without timestamps.
 */
const FPM_LINE = /^(?:\[(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}:\d{2}:\d{2})(?:\.\d+)?\] )?(ALERT|ERROR|WARNING|NOTICE|DEBUG): (?:\[pool ([^\]]+)\] )?(.*)$/;
/** `(request: "GET /index.php")` in the messages about a child's request. */
const REQUEST = /\(request: "([^"]*)"\)/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function parseFpmLine(line: string): LogEvent | undefined {
  const match = FPM_LINE.exec(line);
  if (!match) return undefined;
  const [, day, monthName, year, time, level, pool, message] = match;
  const month = MONTHS.indexOf(monthName) + 1;
  const event: LogEvent = { program: 'php-fpm', level, message };
  if (day && month > 0) event.time = `${year}-${String(month).padStart(2, '0')}-${day}T${time}`;
  if (pool) event.pool = pool;
  const request = REQUEST.exec(message)?.[1];
  if (request) event.request = request;
  return event;
}
