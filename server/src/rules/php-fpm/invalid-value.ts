import { isIP } from 'node:net';
import type { Severity } from '../../core/findings';
import type { Rule } from '../../core/rule';
import { iniValueSurprise } from '../../model/fpm-ini-values';
import { decodeListen } from '../../model/fpm-listen';
import { valueRangeOf } from '../../model/fpm-load';
import {
  decodeBoolean, decodeChoice, decodeEventMechanism, decodeInteger, decodeOctalMode, decodeProcessManager, decodeRlimit, decodeTime,
  type Decoded,
} from '../../model/fpm-values';
import type { FpmEntry } from '../../parsers/phpfpm/ast';
import { fpmEntries } from '../../parsers/phpfpm/parser';
import { arrayKeyProblem, findFpmDirective, sectionKind, type FpmDirectiveInfo, type FpmSectionKind } from '../../reference/phpfpm';

export const rule: Rule = {
  id: 'php-fpm/invalid-value',
  format: 'php-fpm',
  defaultSeverity: 'error',
  title: 'Value php-fpm refuses, or reads differently from what it says',
  docs: `Checks each value the way php-fpm 8.2 reads it (sapi/fpm/fpm/fpm_conf.c) and quotes php-fpm's refusal:
numbers (\`unable to parse value for entry 'pm.max_children': is not a valid number (greater or equal than
zero)\`), times (\`unknown suffix used in time value\`; units are \`s\`, \`m\`, \`h\`, \`d\`), booleans
(\`invalid boolean value\`: \`yes\`/\`no\`, \`on\`/\`off\`, \`true\`/\`false\`, \`1\`/\`0\`, written without quotes
or in lower case), \`pm\` other than \`static\`, \`dynamic\` or \`ondemand\`, \`log_level\`, \`syslog.facility\`,
\`rlimit_core\`, \`events.mechanism\` this build lacks (\`kqueue\` on Linux), \`php_flag[…]\` that are not
booleans, empty \`env[…]\`, \`access.suppress_path[]\` not starting with \`/\`, \`$pool\` in \`[global]\`,
\`log_limit\` below 512, a negative \`process.max\` and a \`[global]\` \`process.priority\` outside -19…20.
A \`listen\` php-fpm cannot open (a port outside 1…65535, \`unix:/path\` written the nginx way, an IPv6 address
without brackets) passes \`php-fpm -t\` but stops php-fpm when it starts; it is an error too.

As **warnings** it reports values php-fpm accepts but reads differently from what they say: \`60ms\` is 60
seconds (only the last letter is a unit, the rest goes through atoi), \`1.5m\` is one minute, a number past 32 bits
wraps, \`listen = 127.0.0.1\` (no port) is a unix socket file, a \`listen.mode\` that is not octal is mode 0000,
\`listen.allowed_clients\` entries that are not IP addresses (a host name, a space after the comma) are ignored,
and php.ini values PHP reads otherwise: \`php_admin_value[memory_limit] = 256MB\` (PHP warns "Invalid quantity"),
\`= 256\` (bytes), \`php_value[max_execution_time] = 5m\` (5 seconds).

**At runtime:** a refused value stops php-fpm at that line: \`php-fpm -t\` fails, a restart leaves no php-fpm and
a reload takes the running one down. nginx finds nothing listening (\`connect() … failed\`) and answers
**502 Bad Gateway** to every PHP request. A misread value runs with a timeout, socket mode or limit nobody meant,
which shows up later as 502s (workers killed too early, nginx denied the socket) or as failed requests.

**What to change:** write the value the way the message says: whole numbers, times as \`30s\`/\`5m\`/\`1h\`,
booleans as \`yes\`/\`no\`, \`listen\` as \`/run/php/php-fpm.sock\`, \`9000\`, \`127.0.0.1:9000\` or
\`[::1]:9000\`, modes in octal (\`0660\`), sizes as \`256M\`.`,
  check(ctx) {
    for (const file of ctx.model.fpm) {
      for (const entry of fpmEntries(file.parse)) {
        // Expressions, constants and `${VAR}` take their value when php-fpm loads: not ours to judge.
        if (entry.computed) continue;
        const context = entry.section ? sectionKind(entry.section.name) : undefined;
        const problem = entry.arrayKey ? arrayValueProblem(entry, entry.arrayKey, context) : scalarValueProblem(entry, context);
        if (!problem) continue;
        ctx.report({ file: file.id, range: valueRangeOf(entry), message: problem.message, ...(problem.severity ? { severity: problem.severity } : {}) });
      }
    }
  },
};

interface Problem {
  message: string;
  severity?: Severity;
}

const ADVICE: Record<string, string> = {
  integer: 'write a whole number, e.g. `10`',
  time: 'write seconds, or a number with one unit: `30s`, `5m`, `1h`, `1d`',
  boolean: 'write `yes` or `no` (unquoted, or quoted in lower case)',
  rlimit: 'write `unlimited` or a number of 0 or more',
  'octal-mode': 'write the mode in octal digits, e.g. `0660`',
  pm: 'one of `static`, `dynamic`, `ondemand`',
  log_level: 'one of `alert`, `error`, `warning`, `notice`, `debug`',
  'syslog.facility': 'a syslog(3) facility such as `daemon`, `user` or `local0`…`local7`',
  'events.mechanism': 'on Linux: `epoll` (the default), `poll` or `select`',
};

/** The setters of `[global]` options that expand `$pool`, which only exists inside a pool. */
const GLOBAL_STRINGS = new Set(['pid', 'error_log', 'syslog.ident', 'events.mechanism']);

function scalarValueProblem(entry: FpmEntry, context: FpmSectionKind | undefined): Problem | undefined {
  const kinds: FpmSectionKind[] = context ? [context] : ['pool', 'global'];
  const info = kinds.map((kind) => findFpmDirective(entry.key, kind, 'scalar')).find((d) => d !== undefined);
  if (!info || info.onlyOn) return undefined;
  const { value } = entry;
  if (context === 'global' && GLOBAL_STRINGS.has(info.name) && value.includes('$pool')) {
    return { message: `unable to parse value for entry '${info.name}': Can't use '$pool' when the pool is not defined — \`$pool\` names a pool, and [global] is none` };
  }
  if (info.name === 'listen' || info.name === 'pm.status_listen') return listenProblem(value);
  if (info.name === 'listen.allowed_clients') return allowedClientsProblem(value);
  const decoded = decode(info, value);
  if (!decoded) return undefined;
  if (!decoded.ok) {
    // events.mechanism is read as text and refused only after loading, in words of its own.
    const refusal = info.name === 'events.mechanism' ? decoded.refusal : `unable to parse value for entry '${info.name}': ${decoded.refusal}`;
    const advice = ADVICE[info.name] ?? ADVICE[info.type];
    return { message: advice ? `${refusal} — ${advice}` : refusal };
  }
  const refusedAfterLoading = context === 'global' && typeof decoded.value === 'number' ? globalRangeProblem(info.name, decoded.value) : undefined;
  if (refusedAfterLoading) return refusedAfterLoading;
  return decoded.surprise ? { message: `${decoded.surprise} — ${ADVICE[info.type] ?? 'write it the way php-fpm reads it'}`, severity: 'warning' } : undefined;
}

function decode(info: FpmDirectiveInfo, value: string): Decoded<unknown> | undefined {
  switch (info.type) {
    case 'integer': return decodeInteger(value);
    case 'time': return decodeTime(value);
    case 'boolean': return decodeBoolean(value);
    case 'rlimit': return decodeRlimit(value);
    case 'octal-mode': return decodeOctalMode(value);
    case 'enum':
      if (info.name === 'pm') return decodeProcessManager(value);
      if (info.name === 'events.mechanism') return decodeEventMechanism(value);
      return decodeChoice(info.name, value);
    default: return undefined;
  }
}

/** What fpm_conf_post_process refuses of single `[global]` numbers, in its words. */
function globalRangeProblem(name: string, value: number): Problem | undefined {
  if (name === 'log_limit' && value < 512) return { message: 'log_limit must be greater than 512 — php-fpm wants at least 512 characters per log line' };
  if (name === 'process.max' && value < 0) return { message: "process_max can't be negative — `0` means no limit" };
  // 64 is php-fpm's own "not set".
  if (name === 'process.priority' && value !== 64 && (value < -19 || value > 20)) {
    return { message: 'process.priority must be included into [-19,20] — nice(2) priorities run from -19 to 20' };
  }
  return undefined;
}

function listenProblem(value: string): Problem | undefined {
  // An empty listen is php-fpm/pm-invalid's: php-fpm says "no listen address have been defined!".
  if (value === '') return undefined;
  const decoded = decodeListen(value);
  if (!decoded.ok) {
    return { message: `${decoded.refusal} — php-fpm -t passes, but php-fpm stops when it opens the socket at start (FPM initialization failed)` };
  }
  return decoded.surprise ? { message: `${decoded.surprise}; write \`${value}:9000\` for TCP, or a path such as \`/run/php/php-fpm.sock\``, severity: 'warning' } : undefined;
}

/** fcgi_set_allowed_clients: each comma-separated entry must be an IP address exactly; the others are dropped. */
function allowedClientsProblem(value: string): Problem | undefined {
  if (value === '') return undefined;
  const entries = value.split(',');
  const wrong = entries.filter((address) => isIP(address) === 0);
  if (wrong.length === 0) return undefined;
  const none = wrong.length === entries.length ? ': no address is left, so php-fpm closes every connection (nginx: "Connection reset by peer", 502)' : '';
  const quoted = wrong.map((address) => `'${address}'`).join(', ');
  return {
    message: `php-fpm ignores ${quoted} in listen.allowed_clients (it logs "Wrong IP address"): only IP addresses, separated by commas without spaces${none}`,
    severity: 'warning',
  };
}

function arrayValueProblem(entry: FpmEntry, arrayKey: { base: string; name: string }, context: FpmSectionKind | undefined): Problem | undefined {
  const { base, name } = arrayKey;
  const { value } = entry;
  if (base === 'access.suppress_path') {
    // php-fpm checks the value even when it also refuses the key (php-fpm/syntax reports that).
    return value.startsWith('/') ? undefined : { message: "Values provided to field 'access.suppress_path' must begin with '/'" };
  }
  // A missing key or an array under [global] is refused before the value is looked at (other rules say so).
  if (arrayKeyProblem(base, name) || context === 'global') return undefined;
  if (base === 'php_flag' || base === 'php_admin_flag') {
    return decodeBoolean(value).ok ? undefined : { message: `error while parsing '${base}[${name}]' : invalid boolean value — ${ADVICE.boolean}` };
  }
  if (base === 'env') return value === '' ? { message: 'empty value — give the variable a value, or `$NAME` to pass on php-fpm\'s own' } : undefined;
  if (base === 'php_value' || base === 'php_admin_value') {
    const surprise = iniValueSurprise(name, value);
    return surprise ? { message: surprise, severity: 'warning' } : undefined;
  }
  return undefined;
}
