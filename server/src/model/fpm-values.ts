/**
 * Values as php-fpm 8.2 reads them (sapi/fpm/fpm/fpm_conf.c): what each kind of setting accepts, what it refuses
 * in php-fpm's own words, and what it accepts but reads differently from what the text suggests (`60ms` is 60 s).
 * Input is the value after ini decoding (`FpmEntry.value`): quotes removed, `yes` already `1`.
 */

/** php-fpm's reading of a value: the result and, where the text says something else, a warning; or its refusal. */
export type Decoded<T> =
  | { ok: true; value: T; surprise?: string }
  | { ok: false; refusal: string };

/** C's `strtol(text, NULL, 10)`: blanks, a sign, then digits up to the first other character; saturates at 64 bits. */
function strtol(text: string): bigint {
  const match = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(text);
  if (!match || match[2] === '') return 0n;
  const magnitude = BigInt(match[2]);
  const value = match[1] === '-' ? -magnitude : magnitude;
  const limit = 2n ** 63n;
  return value >= limit ? limit - 1n : value < -limit ? -limit : value;
}

/** C's `atoi` as glibc has it: `(int) strtol(...)`, so a number past 32 bits keeps only its low bits. */
export function atoi(text: string): number {
  return Number(BigInt.asIntN(32, strtol(text)));
}

/** C's `atol` (64-bit `long`), which PHP uses for `max_execution_time`. */
export function atol(text: string): number {
  return Number(strtol(text));
}

/** php-fpm multiplies in C `int`, which wraps past 32 bits. */
function int32(value: number): number {
  return Number(BigInt.asIntN(32, BigInt(value)));
}

/** fpm_conf_set_integer: digits with an optional leading `-`, nothing else. An empty value passes as 0. */
export function decodeInteger(value: string): Decoded<number> {
  if (!/^-?\d*$/.test(value)) return { ok: false, refusal: 'is not a valid number (greater or equal than zero)' };
  const result = atoi(value);
  if (!/\d/.test(value)) return { ok: true, value: result, surprise: value === '' ? 'php-fpm reads an empty value as 0' : `php-fpm reads \`${value}\` as 0` };
  if (BigInt(value) !== BigInt(result)) {
    return { ok: true, value: result, surprise: `\`${value}\` does not fit in php-fpm's 32-bit integer: it reads ${result}` };
  }
  return { ok: true, value: result };
}

const TIME_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * fpm_conf_set_time: the last character is the unit (`s`, `m`, `h`, `d`) or a digit; what stands before it goes
 * through atoi, which stops at the first non-digit. So `60ms` is 60 seconds and `1.5m` is one minute.
 */
export function decodeTime(value: string): Decoded<number> {
  if (value === '') return { ok: false, refusal: 'invalid time value' };
  const last = value[value.length - 1];
  const unit = TIME_UNITS[last];
  if (unit === undefined && !/\d/.test(last)) return { ok: false, refusal: 'unknown suffix used in time value' };
  const number = unit === undefined ? value : value.slice(0, -1);
  const exact = atoi(number) * (unit ?? 1);
  const seconds = int32(exact);
  if (/^\d+$/.test(number) && seconds === exact) return { ok: true, value: seconds };
  const reading = `php-fpm reads \`${value}\` as ${seconds} second${Math.abs(seconds) === 1 ? '' : 's'}`;
  return { ok: true, value: seconds, surprise: `${reading}${timeSurpriseReason(number, unit === undefined ? undefined : last, seconds !== exact)}` };
}

function timeSurpriseReason(number: string, unit: string | undefined, overflows: boolean): string {
  if (overflows) return ': the number of seconds overflows its 32-bit integer';
  if (/^-\d+$/.test(number)) return ', a negative time';
  if (number === '') return ': there is no number before the unit';
  if (unit === undefined) return ': it reads a number only up to its first non-digit';
  return `: only the last letter (\`${unit}\`) is a unit, and what stands before it (\`${number}\`) is read up to its first non-digit`;
}

/** fpm_conf_set_boolean in 8.2 compares the decoded text exactly (so a quoted `"Yes"` is refused). */
const TRUE_TEXTS = new Set(['1', 'yes', 'on', 'true']);
const FALSE_TEXTS = new Set(['', '0', 'no', 'off', 'none', 'false']);

export function decodeBoolean(value: string): Decoded<boolean> {
  if (TRUE_TEXTS.has(value)) return { ok: true, value: true };
  if (FALSE_TEXTS.has(value)) return { ok: true, value: false };
  return { ok: false, refusal: 'invalid boolean value' };
}

/** fpm_conf_set_rlimit_core: `unlimited` (any case) or an integer ≥ 0; -1 stands for unlimited. */
export function decodeRlimit(value: string): Decoded<number> {
  if (value.toLowerCase() === 'unlimited') return { ok: true, value: -1 };
  const number = decodeInteger(value);
  if (number.ok && number.value < 0) return { ok: false, refusal: "must be greater than zero or 'unlimited'" };
  return number;
}

export type ProcessManager = 'static' | 'dynamic' | 'ondemand';

const PROCESS_MANAGERS: readonly ProcessManager[] = ['static', 'dynamic', 'ondemand'];

/** fpm_conf_set_pm, case-insensitive. */
export function decodeProcessManager(value: string): Decoded<ProcessManager> {
  const style = PROCESS_MANAGERS.find((p) => p === value.toLowerCase());
  return style ? { ok: true, value: style } : { ok: false, refusal: 'invalid process manager (static, dynamic or ondemand)' };
}

/** The other choices php-fpm compares case-insensitively, with the refusal each setter words. */
const CHOICES: Record<string, { values: readonly string[]; refusal: string }> = {
  log_level: { values: ['alert', 'error', 'warning', 'warn', 'notice', 'debug'], refusal: "invalid value for 'log_level'" },
  'syslog.facility': {
    values: ['auth', 'authpriv', 'cron', 'daemon', 'ftp', 'kern', 'lpr', 'mail', 'news', 'syslog', 'user', 'uucp',
      'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
    refusal: 'invalid value',
  },
};

export function decodeChoice(name: string, value: string): Decoded<string> | undefined {
  const choice = CHOICES[name];
  if (!choice) return undefined;
  return choice.values.includes(value.toLowerCase()) ? { ok: true, value: value.toLowerCase() } : { ok: false, refusal: choice.refusal };
}

/** The event mechanisms php-fpm 8.2 on Linux is built with; `kqueue` (BSD) and `port` (Solaris) are not among them. */
const LINUX_EVENT_MECHANISMS = ['epoll', 'poll', 'select'];

/** fpm_event_pre_init, after loading: the mechanism must be one this build has. */
export function decodeEventMechanism(value: string): Decoded<string> {
  const mechanism = value.toLowerCase();
  if (LINUX_EVENT_MECHANISMS.includes(mechanism)) return { ok: true, value: mechanism };
  return { ok: false, refusal: `event mechanism '${value}' is not available on this system` };
}

/** Whether the mechanism lets `pm = ondemand` work (fpm_event_support_edge_trigger). */
export function supportsOndemand(mechanism: string): boolean {
  return mechanism === 'epoll' || mechanism === 'kqueue';
}

/**
 * `listen.mode`: php-fpm passes it to strtoul(…, 8) when it creates the socket and never complains; text that
 * is not octal becomes mode 0, a socket nobody but root can connect to.
 */
export function decodeOctalMode(value: string): Decoded<number> {
  // An empty mode leaves php-fpm's default.
  if (value === '') return { ok: true, value: 0o660 };
  const match = /^[ \t\n\v\f\r]*\+?([0-7]*)/.exec(value) ?? ['', ''];
  const mode = match[1] === '' ? 0 : parseInt(match[1], 8);
  if (match[0].length === value.length && match[1] !== '') return { ok: true, value: mode };
  const octal = `0${mode.toString(8).padStart(3, '0')}`;
  return {
    ok: true,
    value: mode,
    surprise: `\`${value}\` is not an octal mode: php-fpm reads it as ${octal}${mode === 0 ? ', a socket only root can connect to' : ''}`,
  };
}
