import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { range } from '../../../server/src/core/text';
import { rule } from '../../../server/src/rules/php-fpm/invalid-value';
import { lint } from './fpm-harness';

const POOL = '/p/pool.d/www.conf';
const MAIN = '/p/php-fpm.conf';

function inPool(lines: string): ReturnType<typeof lint> {
  return lint(rule, { [POOL]: `[www]\n${lines}\n` });
}

function messages(lines: string): string[] {
  return inPool(lines).map((f) => `${f.severity}: ${f.message}`);
}

describe('php-fpm/invalid-value', () => {
  it('is an error rule documented with its 502', () => {
    assert.equal(rule.defaultSeverity, 'error');
    assert.match(rule.docs, /502 Bad Gateway/);
    assert.match(rule.docs, /\*\*What to change:\*\*/);
  });

  it("reports a number php-fpm refuses, on its value, in php-fpm's words", () => {
    assert.deepEqual(inPool('pm.max_requests = 5k'), [{
      rule: 'php-fpm/invalid-value',
      severity: 'error',
      file: POOL,
      range: range(1, 18, 1, 20),
      message: "unable to parse value for entry 'pm.max_requests': is not a valid number (greater or equal than zero) — write a whole number, e.g. `10`",
    }]);
  });

  it('names the entry as php-fpm spells it, whatever its case', () => {
    assert.deepEqual(messages('PM.Max_Children = five'), [
      "error: unable to parse value for entry 'pm.max_children': is not a valid number (greater or equal than zero) — write a whole number, e.g. `10`",
    ]);
  });

  it('reports times with an unknown unit, and warns that 60ms is 60 seconds', () => {
    assert.deepEqual(messages('request_terminate_timeout = 30x\npm.process_idle_timeout = 60ms'), [
      "error: unable to parse value for entry 'request_terminate_timeout': unknown suffix used in time value — write seconds, or a number with one unit: `30s`, `5m`, `1h`, `1d`",
      'warning: php-fpm reads `60ms` as 60 seconds: only the last letter (`s`) is a unit, and what stands before it (`60m`) is read up to its first non-digit — write seconds, or a number with one unit: `30s`, `5m`, `1h`, `1d`',
    ]);
  });

  it('points at the whole entry when the value is empty', () => {
    const [finding] = inPool('request_slowlog_timeout =');
    assert.deepEqual(finding.range, range(1, 0, 1, 25));
    assert.equal(finding.message, "unable to parse value for entry 'request_slowlog_timeout': invalid time value — write seconds, or a number with one unit: `30s`, `5m`, `1h`, `1d`");
  });

  it('reports booleans php-fpm 8.2 does not know, such as a quoted "Yes"', () => {
    assert.deepEqual(messages('catch_workers_output = "Yes"\nclear_env = no\ndecorate_workers_output = "no"'), [
      "error: unable to parse value for entry 'catch_workers_output': invalid boolean value — write `yes` or `no` (unquoted, or quoted in lower case)",
    ]);
  });

  it('reports choices: pm, rlimit_core', () => {
    assert.deepEqual(messages('pm = fork\nrlimit_core = -1\npm = Static'), [
      "error: unable to parse value for entry 'pm': invalid process manager (static, dynamic or ondemand) — one of `static`, `dynamic`, `ondemand`",
      "error: unable to parse value for entry 'rlimit_core': must be greater than zero or 'unlimited' — write `unlimited` or a number of 0 or more",
    ]);
  });

  it('reports [global] values: log_level, events.mechanism, $pool, and the ranges php-fpm checks after loading', () => {
    const text = '[global]\nlog_level = verbose\nevents.mechanism = kqueue\npid = /run/$pool.pid\nlog_limit = 100\nprocess.max = -1\nprocess.priority = 21\nprocess.priority = 64\n';
    assert.deepEqual(lint(rule, { [MAIN]: text }).map((f) => [f.range.start.line, f.message]), [
      [1, "unable to parse value for entry 'log_level': invalid value for 'log_level' — one of `alert`, `error`, `warning`, `notice`, `debug`"],
      [2, "event mechanism 'kqueue' is not available on this system — on Linux: `epoll` (the default), `poll` or `select`"],
      [3, "unable to parse value for entry 'pid': Can't use '$pool' when the pool is not defined — `$pool` names a pool, and [global] is none"],
      [4, 'log_limit must be greater than 512 — php-fpm wants at least 512 characters per log line'],
      [5, "process_max can't be negative — `0` means no limit"],
      [6, 'process.priority must be included into [-19,20] — nice(2) priorities run from -19 to 20'],
    ]);
  });

  it('reports a listen php-fpm cannot open at start', () => {
    assert.deepEqual(inPool('listen = unix:/run/php/php-fpm.sock'), [{
      rule: 'php-fpm/invalid-value',
      severity: 'error',
      file: POOL,
      range: range(1, 9, 1, 35),
      message: "invalid port value '/run/php/php-fpm.sock' — php-fpm takes a socket path without `unix:` (that is nginx's spelling) — php-fpm -t passes, but php-fpm stops when it opens the socket at start (FPM initialization failed)",
    }]);
    assert.deepEqual(messages('listen = 127.0.0.1:99999\npm.status_listen = ::1'), [
      "error: invalid port value '99999' — php-fpm -t passes, but php-fpm stops when it opens the socket at start (FPM initialization failed)",
      'error: getaddrinfo: Name or service not known — php-fpm -t passes, but php-fpm stops when it opens the socket at start (FPM initialization failed)',
    ]);
  });

  it('warns about a listen address without port, a mode that is not octal and clients that are not addresses', () => {
    assert.deepEqual(messages('listen = 127.0.0.1\nlisten.mode = 0x1ff\nlisten.allowed_clients = 127.0.0.1, ::1'), [
      'warning: `127.0.0.1` has no port, so php-fpm creates a unix socket file of that name (relative to its prefix) instead of listening on TCP; write `127.0.0.1:9000` for TCP, or a path such as `/run/php/php-fpm.sock`',
      'warning: `0x1ff` is not an octal mode: php-fpm reads it as 0000, a socket only root can connect to — write the mode in octal digits, e.g. `0660`',
      `warning: php-fpm ignores ' ::1' in listen.allowed_clients (it logs "Wrong IP address"): only IP addresses, separated by commas without spaces`,
    ]);
    assert.deepEqual(messages('listen.allowed_clients = localhost'), [
      `warning: php-fpm ignores 'localhost' in listen.allowed_clients (it logs "Wrong IP address"): only IP addresses, separated by commas without spaces: no address is left, so php-fpm closes every connection (nginx: "Connection reset by peer", 502)`,
    ]);
  });

  it('reports array values php-fpm refuses', () => {
    assert.deepEqual(messages('php_flag[display_errors] = maybe\nenv[DB_HOST] = ""\naccess.suppress_path[] = ping'), [
      "error: error while parsing 'php_flag[display_errors]' : invalid boolean value — write `yes` or `no` (unquoted, or quoted in lower case)",
      "error: empty value — give the variable a value, or `$NAME` to pass on php-fpm's own",
      "error: Values provided to field 'access.suppress_path' must begin with '/'",
    ]);
  });

  it('warns about php.ini values PHP reads otherwise', () => {
    assert.deepEqual(messages('php_admin_value[memory_limit] = 256MB\nphp_value[max_execution_time] = 5m\nphp_value[upload_max_filesize] = 64'), [
      'warning: `256MB` is not a size PHP reads: it warns "Invalid quantity" and keeps only the leading digits; write e.g. `256M`',
      'warning: PHP reads `5m` as 5 seconds: max_execution_time is a number of seconds, without unit',
      'warning: upload_max_filesize = 64 means 64 bytes: a size without K, M or G counts bytes; write e.g. `64M`',
    ]);
  });

  it('leaves to other rules what php-fpm refuses before the value, and to php-fpm what it computes at load', () => {
    assert.deepEqual(messages('php_value[] = x\nplm = x\nlisten =\npm.max_children = E_ERROR\npm.max_requests = ${MAX}\nrlimit_files = 1 | 2'), []);
    assert.deepEqual(lint(rule, { [MAIN]: '[global]\nenv[X] = ""\n' }), []);
  });

  it('checks settings before any header by their type', () => {
    assert.deepEqual(lint(rule, { [POOL]: 'pm.max_children = lots\n' }).map((f) => f.message), [
      "unable to parse value for entry 'pm.max_children': is not a valid number (greater or equal than zero) — write a whole number, e.g. `10`",
    ]);
  });

  it('is silent on well-formed pools', () => {
    const debianLike = '[www]\nuser = www-data\nlisten = /run/php/php8.2-fpm.sock\nlisten.owner = www-data\nlisten.mode = 0660\npm = dynamic\npm.max_children = 5\n'
      + 'pm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\npm.process_idle_timeout = 10s;\nrequest_terminate_timeout = 0\n'
      + 'catch_workers_output = yes\nclear_env = no\nlisten.allowed_clients = 127.0.0.1,::1\nphp_admin_value[memory_limit] = 256M\nphp_admin_flag[log_errors] = on\n'
      + 'env[PATH] = /usr/local/bin:/usr/bin:/bin\naccess.suppress_path[] = /ping\nrlimit_core = unlimited\nlisten.backlog = -1\n';
    assert.deepEqual(lint(rule, { [POOL]: debianLike }), []);
    assert.deepEqual(lint(rule, { [MAIN]: '[global]\nerror_log = /proc/self/fd/2\nlog_limit = 8192\nevents.mechanism = epoll\ndaemonize = no\n' }), []);
  });
});
