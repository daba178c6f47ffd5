/**
 * Every entry php-fpm 8.2 accepts, as its configuration loader (sapi/fpm/fpm/fpm_conf.c) knows them:
 * the `[global]` options, the pool options, the pool arrays (`php_value[...]` and friends) and `include`.
 * Facts and defaults follow php-fpm's own sample files (php-fpm.conf.in, www.conf.in); the wording is ours.
 */

/** Where an entry is read: in `[global]`, in a pool section, or (only `include`) anywhere. */
export type FpmPlace = 'global' | 'pool' | 'any';

/** `scalar` for `key = value`, `array` for `key[name] = value`. */
export type FpmForm = 'scalar' | 'array';

export type FpmValueType =
  /** Free text. */
  | 'string'
  /** A file or directory; relative paths are completed with a prefix. */
  | 'path'
  /** A user or group name, or a numeric id. */
  | 'user'
  | 'group'
  /** Digits, optionally negative. php-fpm refuses anything else. */
  | 'integer'
  /** An integer of seconds, or with a unit suffix `s`, `m`, `h` or `d`. */
  | 'time'
  /** `yes`/`on`/`true`/`1` or `no`/`off`/`false`/`none`/empty. */
  | 'boolean'
  /** One of `values` (php-fpm compares them case-insensitively). */
  | 'enum'
  /** `unlimited` or an integer ≥ 0. */
  | 'rlimit'
  /** `ip:port`, `[ipv6]:port`, `port` or a unix socket path. */
  | 'socket-address'
  /** A permission mode in octal, e.g. `0660`. */
  | 'octal-mode'
  /** Comma-separated IPv4/IPv6 addresses. */
  | 'address-list'
  /** Comma-separated user or group names. */
  | 'name-list'
  /** A URI path starting with `/`, made of letters, digits and `/_-.~`. */
  | 'uri-path'
  /** Space-separated file extensions such as `.php`. */
  | 'extension-list'
  /** A file path or a glob(3) pattern. */
  | 'glob'
  /** A php.ini value (`php_value`, `php_admin_value`). */
  | 'ini-value'
  /** A php.ini switch (`php_flag`, `php_admin_flag`): a boolean. */
  | 'ini-flag'
  /** An environment variable's value; `$NAME` takes it from php-fpm's own environment. */
  | 'env-value';

export interface FpmDirectiveInfo {
  /** As php-fpm spells it. Scalar names match case-insensitively; `include` and array names match exactly. */
  name: string;
  place: FpmPlace;
  form: FpmForm;
  type: FpmValueType;
  /** For `enum`: the accepted values. */
  values?: readonly string[];
  /** The value php-fpm uses when the entry is absent, as a reader would write it; `''` when there is none. */
  default: string;
  /** The unit of a bare number, where there is one. */
  unit?: string;
  /** The builds that accept the entry, when not every build does (the usual Linux packages do). */
  availability?: string;
  /** The only platform whose php-fpm accepts the entry; elsewhere it is an unknown entry. */
  onlyOn?: string;
  /** Markdown: what it does, default, unit, and its part in 502 Bad Gateway where it has one. */
  docs: string;
}

const TIME_UNITS = 'seconds; suffixes `s`, `m`, `h`, `d`';

const SYSLOG_FACILITIES = [
  'AUTH', 'AUTHPRIV', 'CRON', 'DAEMON', 'FTP', 'KERN', 'LPR', 'MAIL', 'NEWS', 'SYSLOG', 'USER', 'UUCP',
  'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7',
] as const;

function global(name: string, type: FpmValueType, defaultValue: string, docs: string, extra: Partial<FpmDirectiveInfo> = {}): FpmDirectiveInfo {
  return { name, place: 'global', form: 'scalar', type, default: defaultValue, docs, ...extra };
}

function pool(name: string, type: FpmValueType, defaultValue: string, docs: string, extra: Partial<FpmDirectiveInfo> = {}): FpmDirectiveInfo {
  return { name, place: 'pool', form: 'scalar', type, default: defaultValue, docs, ...extra };
}

function poolArray(name: string, type: FpmValueType, docs: string): FpmDirectiveInfo {
  return { name, place: 'pool', form: 'array', type, default: '', docs };
}

export const FPM_DIRECTIVES: readonly FpmDirectiveInfo[] = [
  // ---- anywhere
  {
    name: 'include', place: 'any', form: 'scalar', type: 'glob', default: '',
    docs: 'Reads more configuration files, one or a glob(3) pattern such as `/etc/php/8.2/fpm/pool.d/*.conf`, at this '
      + 'point of the file. Allowed in any section. A relative path is completed with the global prefix (`-p`) or the '
      + 'install prefix. Included files continue the section they are included from until they open their own. '
      + 'A pattern that matches nothing is only a warning; one that cannot be read stops php-fpm from starting.',
  },

  // ---- [global]
  global('pid', 'path', '', 'File php-fpm writes its master process id to. Relative paths start from the local '
    + 'state directory (`/var` on most systems). Default: none, no pid file.'),
  global('error_log', 'path', 'log/php-fpm.log', 'Where the master writes its log, or `syslog`. Relative paths start '
    + 'from the local state directory. Default: `log/php-fpm.log`.\n\n'
    + '**502:** this is the log to read first. `server reached pm.max_children setting`, `child … exited on signal`, '
    + '`execution timed out … terminating` all land here.'),
  global('syslog.ident', 'string', 'php-fpm', 'Tag prepended to every message when `error_log = syslog`. '
    + 'Default: `php-fpm`.'),
  global('syslog.facility', 'enum', 'daemon', 'The syslog facility used when `error_log = syslog` (see syslog(3)). '
    + 'Default: `daemon`.', { values: SYSLOG_FACILITIES }),
  global('log_buffering', 'boolean', 'yes', 'Writes each log line in one write operation (experimental). '
    + 'Ignored with syslog. Default: `yes`.'),
  global('log_level', 'enum', 'notice', 'The least severe messages logged: `alert`, `error`, `warning`, `notice` or '
    + '`debug`. Default: `notice`.\n\n**502:** `warning` or lower keeps the `server reached pm.max_children` warning '
    + 'that explains most saturation 502s.', { values: ['alert', 'error', 'warning', 'warn', 'notice', 'debug'] }),
  global('log_limit', 'integer', '1024', 'Longest log line in characters; longer lines are wrapped. At least 512. '
    + 'Default: `1024`.', { unit: 'characters' }),
  global('emergency_restart_threshold', 'integer', '0', 'Restart php-fpm when this many children die of SIGSEGV or '
    + 'SIGBUS within `emergency_restart_interval`. `0` turns it off. Default: `0`.'),
  global('emergency_restart_interval', 'time', '0', 'The window counted by `emergency_restart_threshold`. '
    + 'Default: `0` (off).', { unit: TIME_UNITS }),
  global('process_control_timeout', 'time', '0', 'How long children may take to react to a signal from the master '
    + '(graceful reload or stop) before they are killed. Default: `0`, no waiting.\n\n**502:** with `0`, a reload '
    + 'kills children mid-request; nginx reports `upstream prematurely closed connection` and answers 502. '
    + 'Set it to at least the longest request time.', { unit: TIME_UNITS }),
  global('process.max', 'integer', '0', 'Most children php-fpm forks over all pools together. `0` means no limit. '
    + 'Default: `0`.\n\n**502:** when reached, pools cannot grow; requests wait in the listen queue until nginx '
    + 'times out or the queue overflows.'),
  global('process.priority', 'integer', '', 'nice(2) priority of the master, from -19 (highest) to 20 (lowest); '
    + 'only when started as root. Default: not set.'),
  global('daemonize', 'boolean', 'yes', 'Sends php-fpm to the background. Containers and systemd units usually set '
    + '`no`. Default: `yes`.'),
  global('rlimit_files', 'integer', '', 'Open file descriptor limit of the master. Default: the system\'s.'),
  global('rlimit_core', 'rlimit', '', 'Core file size limit of the master: `unlimited` or a number ≥ 0. '
    + 'Default: the system\'s.'),
  global('events.mechanism', 'enum', '', 'The event mechanism: `select`, `poll`, `epoll` (Linux), `kqueue` (BSD), '
    + '`/dev/poll` or `port` (Solaris). Default: detected. `pm = ondemand` needs `epoll` or `kqueue`.',
  { values: ['select', 'poll', 'epoll', 'kqueue', '/dev/poll', 'port'] }),
  global('systemd_interval', 'time', '10', 'Interval between health reports to systemd; `0` turns them off. '
    + 'Default: `10`.', { unit: TIME_UNITS, availability: 'builds with systemd support' }),

  // ---- pool sections
  pool('prefix', 'path', '', 'Prefix for the pool\'s relative paths: `access.log`, `slowlog`, a unix socket in '
    + '`listen`, `chroot`, `chdir` and path-valued `php_value`s. Default: the global prefix.'),
  pool('user', 'user', '', 'User the children run as (name or numeric id). Default: the master\'s user.\n\n'
    + '**502:** when the master runs as root, a pool without `user` stops php-fpm from starting '
    + '(`[pool www] user has not been defined`), and nginx answers 502.'),
  pool('group', 'group', '', 'Group the children run as. Default: the user\'s group.'),
  pool('listen', 'socket-address', '', 'Where the pool accepts FastCGI requests: `127.0.0.1:9000`, `[::1]:9000`, '
    + '`9000` (all addresses) or a unix socket path such as `/run/php/php8.2-fpm.sock`. Required.\n\n'
    + '**502:** nginx\'s `fastcgi_pass` must name exactly this address. A different socket path gives '
    + '`connect() … failed (2: No such file or directory)`, a different port `(111: Connection refused)`, '
    + 'and nginx answers 502.'),
  pool('listen.backlog', 'integer', '-1', 'Length of the queue of connections waiting for a free child '
    + '(listen(2) backlog). Default: `-1`, the kernel maximum, on Linux, FreeBSD and OpenBSD; `511` elsewhere.\n\n'
    + '**502:** when every child is busy and this queue is full, new connections are refused '
    + '(`(11: Resource temporarily unavailable)` on unix sockets) and nginx answers 502.'),
  pool('listen.acl_users', 'name-list', '', 'Users allowed to connect to the unix socket, by POSIX ACL; when set, '
    + '`listen.owner` and `listen.group` are ignored. Default: not set.\n\n**502:** leave out nginx\'s user and '
    + 'nginx gets `(13: Permission denied)` and answers 502.', { availability: 'builds with ACL support' }),
  pool('listen.acl_groups', 'name-list', '', 'Groups allowed to connect to the unix socket, by POSIX ACL. '
    + 'Default: not set.\n\n**502:** see `listen.acl_users`.', { availability: 'builds with ACL support' }),
  pool('listen.owner', 'user', '', 'Owner of the unix socket. Default: the master\'s user.\n\n**502:** nginx\'s user '
    + 'must be able to write to the socket, through owner, group or mode; otherwise `(13: Permission denied)` '
    + 'and 502.'),
  pool('listen.group', 'group', '', 'Group of the unix socket. Default: the owner\'s group.\n\n**502:** see '
    + '`listen.owner`; usually nginx\'s group (`www-data`, `nginx`).'),
  pool('listen.mode', 'octal-mode', '0660', 'Permissions of the unix socket, in octal. Default: `0660`.\n\n'
    + '**502:** without write permission for nginx\'s user or group, nginx gets `(13: Permission denied)` and '
    + 'answers 502.'),
  pool('listen.allowed_clients', 'address-list', '', 'IPv4/IPv6 addresses allowed to connect over TCP, '
    + 'comma-separated. Default: any.\n\n**502:** a request from any other address is closed at once; nginx logs '
    + '`recv() failed (104: Connection reset by peer)` and answers 502. Include the address nginx connects from '
    + '(in containers, not 127.0.0.1).'),
  pool('listen.setfib', 'integer', '-1', 'Routing table (FIB) of the listening socket. Default: `-1`. '
    + 'FreeBSD only: php-fpm on Linux refuses it as an unknown entry.', { onlyOn: 'FreeBSD' }),
  pool('process.priority', 'integer', '', 'nice(2) priority of the pool\'s children, from -19 to 20; only when the '
    + 'master runs as root. Default: inherited from the master.'),
  pool('process.dumpable', 'boolean', 'no', 'Sets the dumpable flag on children running as another user, so they '
    + 'can be traced and dump core. Default: `no`.'),
  pool('pm', 'enum', '', 'How children are managed: `static` (always `pm.max_children`), `dynamic` (between the '
    + 'spare limits) or `ondemand` (forked per connection, stopped when idle). Required.\n\n**502:** `ondemand` '
    + 'pays a fork on the first requests after idle time; bursts beyond what can be forked wait in the queue.',
  { values: ['static', 'dynamic', 'ondemand'] }),
  pool('pm.max_children', 'integer', '', 'Most children alive at once, hence the most requests served at once. '
    + 'Required, at least 1.\n\n**502:** when every child is busy, requests wait in the listen queue; the log says '
    + '`server reached pm.max_children setting`. Once the queue is full nginx gets refused connections (502), '
    + 'or it gives up waiting (504). Size it from memory: available RAM / memory per child.'),
  pool('pm.start_servers', 'integer', '', 'Children started with `pm = dynamic`. '
    + 'Default: `min_spare_servers + (max_spare_servers - min_spare_servers) / 2`.'),
  pool('pm.min_spare_servers', 'integer', '', 'Fewest idle children with `pm = dynamic`; below it, more are forked. '
    + 'Required for `dynamic`.'),
  pool('pm.max_spare_servers', 'integer', '', 'Most idle children with `pm = dynamic`; above it, some are stopped. '
    + 'Required for `dynamic`.'),
  pool('pm.max_spawn_rate', 'integer', '32', 'Most children forked at once with `pm = dynamic`. Default: `32`.'),
  pool('pm.process_idle_timeout', 'time', '10s', 'Idle time after which a child is stopped with `pm = ondemand`. '
    + 'Default: `10s`.', { unit: TIME_UNITS }),
  pool('pm.max_requests', 'integer', '0', 'Requests a child serves before it is replaced, against memory leaks. '
    + '`0` means never. Default: `0`.'),
  pool('pm.status_path', 'uri-path', '', 'URI of the status page (`/status`), to be routed by nginx to this pool. '
    + 'Default: not set.\n\n**502:** `listen queue` and `max children reached` on this page show saturation '
    + 'before it turns into 502s.'),
  pool('pm.status_listen', 'socket-address', '', 'A separate address for the status page, served by a hidden pool '
    + 'so it answers even when the main pool is saturated. Default: the pool\'s `listen`.'),
  pool('ping.path', 'uri-path', '', 'URI of the ping page, for health checks. Default: not set.'),
  pool('ping.response', 'string', 'pong', 'Text the ping page answers with (200, text/plain). Default: `pong`.'),
  pool('access.log', 'path', '', 'Access log of the pool. Default: not set.'),
  pool('access.format', 'string', '%R - %u %t "%m %r" %s', 'Format of the access log lines (`%R` remote address, '
    + '`%r` URI, `%s` status, `%d` duration, `%M` memory, …). Default: `"%R - %u %t \\"%m %r\\" %s"`.'),
  pool('slowlog', 'path', '', 'File receiving a PHP backtrace of requests slower than `request_slowlog_timeout`. '
    + 'Required when that timeout is set. Default: not set.'),
  pool('request_slowlog_timeout', 'time', '0', 'Time after which a running request\'s backtrace is written to '
    + '`slowlog`. `0` turns it off. Default: `0`.', { unit: TIME_UNITS }),
  pool('request_slowlog_trace_depth', 'integer', '20', 'Depth of the backtraces written to `slowlog`. '
    + 'Default: `20`.'),
  pool('request_terminate_timeout', 'time', '0', 'Time after which a child still serving a request is killed, '
    + 'for when `max_execution_time` does not stop a script. `0` turns it off. Default: `0`.\n\n**502:** the kill '
    + 'closes nginx\'s connection mid-response: nginx logs `upstream prematurely closed connection while reading '
    + 'response header from upstream` and answers 502. Keep it above the slowest legitimate request; below nginx\'s '
    + '`fastcgi_read_timeout`, a request that is too slow ends in 502 rather than 504.', { unit: TIME_UNITS }),
  pool('request_terminate_timeout_track_finished', 'boolean', 'no', 'Applies `request_terminate_timeout` also after '
    + '`fastcgi_finish_request()` and during shutdown functions. Default: `no`.'),
  pool('rlimit_files', 'integer', '', 'Open file descriptor limit of the children. Default: the system\'s.\n\n'
    + '**502:** a child out of descriptors fails on `Too many open files`; requests it was serving fail.'),
  pool('rlimit_core', 'rlimit', '', 'Core file size limit of the children: `unlimited` or a number ≥ 0. '
    + 'Default: the system\'s.'),
  pool('chroot', 'path', '', 'Directory the children chroot into at start; an absolute path, or starting with '
    + '`$prefix`. Default: not set. `SCRIPT_FILENAME` from nginx must then resolve inside the chroot, or php-fpm '
    + 'answers `File not found.` (`Primary script unknown`).'),
  pool('chdir', 'path', '', 'Directory the children change into at start. Default: `/` with `chroot`, else the '
    + 'current directory.'),
  pool('catch_workers_output', 'boolean', 'no', 'Sends the children\'s stdout and stderr to the error log instead '
    + 'of /dev/null. Default: `no`.\n\n**502:** turn it on to see what scripts that crash their child (and end in '
    + 'a 502) wrote before dying.'),
  pool('decorate_workers_output', 'boolean', 'yes', 'Prefixes captured worker output with the child and stream it '
    + 'came from. Only with `catch_workers_output = yes`. Default: `yes`.'),
  pool('clear_env', 'boolean', 'yes', 'Empties the children\'s environment before adding the `env[...]` entries. '
    + 'Default: `yes`.'),
  pool('security.limit_extensions', 'extension-list', '.php .phar', 'Extensions of the scripts the pool agrees to '
    + 'run; an empty value allows any. Default: `.php .phar`.'),
  pool('apparmor_hat', 'string', '', 'AppArmor hat the children change to. Default: not set.',
    { availability: 'builds with AppArmor support' }),

  // ---- pool arrays
  poolArray('php_value', 'ini-value', 'Sets a php.ini value for this pool, e.g. `php_value[memory_limit] = 256M`; '
    + 'scripts may still change it with ini_set().\n\n**502:** a `max_execution_time` longer than nginx waits, or a '
    + '`memory_limit` that lets children outgrow the machine\'s memory (and be killed), ends requests in 502 or 504.'),
  poolArray('php_flag', 'ini-flag', 'Sets a php.ini switch for this pool, e.g. `php_flag[display_errors] = off`; '
    + 'the value must be a boolean.'),
  poolArray('php_admin_value', 'ini-value', 'Sets a php.ini value for this pool that scripts cannot change, e.g. '
    + '`php_admin_value[memory_limit] = 256M`. `disable_functions` and `disable_classes` add to php.ini\'s list.'),
  poolArray('php_admin_flag', 'ini-flag', 'Sets a php.ini switch that scripts cannot change, e.g. '
    + '`php_admin_flag[log_errors] = on`.'),
  poolArray('env', 'env-value', 'Sets an environment variable in the children, e.g. `env[PATH] = /usr/bin:/bin`; '
    + '`$NAME` copies the master\'s variable. Needed because `clear_env = yes` empties the environment. The value '
    + 'must not be empty.'),
  poolArray('access.suppress_path', 'uri-path', 'URIs left out of the access log (`access.suppress_path[] = /ping`), '
    + 'for successful GET/HEAD requests without query or body. Written with empty brackets; the value must start '
    + 'with `/`.'),
];

/** Where an entry is being read: a named section's kind. */
export type FpmSectionKind = 'global' | 'pool';

/** `[global]` (any case) is the global section; any other name opens a pool. */
export function sectionKind(sectionName: string): FpmSectionKind {
  return sectionName.toLowerCase() === 'global' ? 'global' : 'pool';
}

/**
 * The entry php-fpm would match `name` to, read in `section` as `form`; undefined when php-fpm calls it unknown.
 * php-fpm compares scalar option names case-insensitively, but `include` and array names exactly.
 */
export function findFpmDirective(name: string, section: FpmSectionKind, form: FpmForm): FpmDirectiveInfo | undefined {
  const lower = name.toLowerCase();
  return FPM_DIRECTIVES.find((d) => {
    if (d.form !== form || (d.place !== 'any' && d.place !== section)) return false;
    return form === 'scalar' && d.place !== 'any' ? d.name === lower : d.name === name;
  });
}

/** The names php-fpm accepts in `section` as `form` on any platform: the candidates for a "did you mean". */
export function fpmDirectiveNames(section: FpmSectionKind, form: FpmForm): string[] {
  return FPM_DIRECTIVES.filter((d) => d.form === form && (d.place === 'any' || d.place === section) && !d.onlyOn).map((d) => d.name);
}

/**
 * php-fpm's complaint about the brackets of `name[key]`, checked before anything else about an array entry:
 * `access.suppress_path[]` takes no key, every other array needs one.
 */
export function arrayKeyProblem(base: string, key: string): string | undefined {
  if (base === 'access.suppress_path') {
    return key === '' ? undefined : "Keys provided to field 'access.suppress_path' are ignored";
  }
  return key === '' ? `You must provide a key for field '${base}'` : undefined;
}
