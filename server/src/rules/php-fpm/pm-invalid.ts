import { posix } from 'node:path';
import type { Related } from '../../core/findings';
import type { Report, Rule } from '../../core/rule';
import { fpmCapacity, fitSpareServers, type Capacity } from '../../model/fpm-capacity';
import { replaceValue, setPoolOptions } from '../../model/fpm-edits';
import { listenKind } from '../../model/fpm-listen';
import { fpmConfigurations, valueRangeOf, type FpmConfiguration, type FpmPoolConfig, type FpmSetting } from '../../model/fpm-load';
import { eventMechanism, globalSetting, poolInteger, poolProcessManager, poolSeconds, poolString, type Resolved } from '../../model/fpm-settings';
import { supportsOndemand } from '../../model/fpm-values';

export const rule: Rule = {
  id: 'php-fpm/pm-invalid',
  format: 'php-fpm',
  defaultSeverity: 'error',
  title: 'Pool settings php-fpm refuses together',
  docs: `Checks what php-fpm 8.2 verifies once every file is read (fpm_conf_process_all_pools), and quotes it:
a pool without \`listen\` (\`no listen address have been defined!\`) or without \`pm\`; \`pm.max_children\` below 1;
for \`pm = dynamic\`: \`pm.min_spare_servers\` and \`pm.max_spare_servers\` at least 1, min ≤ max ≤
\`pm.max_children\`, \`pm.start_servers\` between them (when not set, php-fpm starts min + (max − min) / 2),
\`pm.max_spawn_rate\` at least 1; for \`pm = ondemand\`: \`pm.process_idle_timeout\` above 0s and an
\`events.mechanism\` of epoll or kqueue; \`slowlog\` set when \`request_slowlog_timeout\` or
\`request_slowlog_trace_depth\` is, and \`request_slowlog_timeout\` not above a non-zero
\`request_terminate_timeout\`; \`pm.status_path\` and \`ping.path\` starting with \`/\`, longer than \`/\` and made
of letters, digits and \`/_-.~\`; an empty \`ping.response\`; \`process.priority\` outside -19…20; \`$prefix\`
inside \`chroot\`; two pools (or a pool and a \`pm.status_listen\`) on the same \`listen\` address.
A pool without \`user\` is a warning: php-fpm refuses it only when its master runs as root (as the packaged
service does) without \`--allow-to-run-as-root\`.
Sections with the same name are one pool, read in php-fpm's order (a main \`php-fpm.conf\` and the folder its
\`include\` names, or one folder). A missing setting is reported only when the workspace holds php-fpm's main file:
a folder of pool files alone may be layered over a container image's own www.conf.

**At runtime:** php-fpm stops after reading its configuration ("failed to post process the configuration"):
\`php-fpm -t\` fails, a restart leaves nothing listening and a reload takes the running master down. nginx logs
\`connect() … failed (111: Connection refused)\` or \`(2: No such file or directory)\` and answers
**502 Bad Gateway** to every PHP request.

**What to change:** the quick fix sets a value that satisfies the relation: the spare servers scaled to
\`pm.max_children\`, \`pm.start_servers\` in the middle of the spare range, php-fpm's defaults for
\`pm.max_spawn_rate\` (32) and \`pm.process_idle_timeout\` (10s), a \`slowlog\` beside the pool's logs, a
\`request_slowlog_timeout\` half the terminate timeout, paths made valid.`,
  check(ctx) {
    const capacity = fpmCapacity(ctx.settings);
    for (const configuration of fpmConfigurations(ctx.model.fpm)) {
      for (const pool of configuration.pools) {
        for (const report of poolProblems(pool, capacity)) if (report) ctx.report(report);
      }
      for (const report of sharedListens(configuration)) ctx.report(report);
    }
  },
};

function poolProblems(pool: FpmPoolConfig, capacity: Capacity | undefined): (Report | undefined)[] {
  return [
    missingUser(pool),
    missingListen(pool),
    priorityOutOfRange(pool),
    ...processManagerProblems(pool, capacity),
    missingStatusListen(pool),
    uriPathProblem(pool, 'pm.status_path', 'status'),
    uriPathProblem(pool, 'ping.path', 'ping'),
    emptyPingResponse(pool),
    ...slowlogProblems(pool),
    chrootProblem(pool),
  ];
}

// ---- reports

/** Where a finding about a pool points: the setting, or the pool's first header when nothing sets it. */
function at(pool: FpmPoolConfig, setting?: FpmSetting): Pick<Report, 'file' | 'range'> {
  if (setting) return { file: setting.file.id, range: valueRangeOf(setting.entry) };
  const { file, section } = pool.headers[0];
  return { file: file.id, range: section.headerRange };
}

function refusal(pool: FpmPoolConfig, setting: FpmSetting | undefined, wording: string, why: string, extra: Partial<Report> = {}): Report {
  return { ...at(pool, setting), message: `[pool ${pool.name}] ${wording} — ${why}`, ...extra };
}

function related(settings: (FpmSetting | undefined)[]): Related[] {
  return settings
    .filter((s): s is FpmSetting => s !== undefined)
    .map((s) => ({ file: s.file.id, range: s.entry.range, message: `${s.entry.key} = ${s.entry.rawValue}` }));
}

const REFUSED = 'php-fpm refuses to start';

// ---- checks, in php-fpm's order

function missingUser(pool: FpmPoolConfig): Report | undefined {
  if (!pool.configuration.complete || pool.scalar('user')) return undefined;
  return refusal(pool, undefined, 'user has not been defined',
    'php-fpm refuses this pool when its master runs as root (as the packaged service does) without --allow-to-run-as-root',
    { severity: 'warning' });
}

function missingListen(pool: FpmPoolConfig): Report | undefined {
  const listen = poolString(pool, 'listen');
  if (!listen || listen.value) return undefined;
  return refusal(pool, listen.setting, 'no listen address have been defined!',
    `${REFUSED}; set \`listen\` to the address nginx's fastcgi_pass names, e.g. /run/php/php-fpm.sock or 127.0.0.1:9000`);
}

function priorityOutOfRange(pool: FpmPoolConfig): Report | undefined {
  const priority = poolInteger(pool, 'process.priority');
  // 64 is php-fpm's own "not set".
  if (!priority?.setting || priority.value === 64 || (priority.value >= -19 && priority.value <= 20)) return undefined;
  const fixed = Math.min(20, Math.max(-19, priority.value));
  return refusal(pool, priority.setting, 'process.priority must be included into [-19,20]', `${REFUSED}; nice(2) priorities run from -19 to 20`,
    { fixes: [setPoolOptions(pool, [['process.priority', String(fixed)]])] });
}

function processManagerProblems(pool: FpmPoolConfig, capacity: Capacity | undefined): (Report | undefined)[] {
  const style = poolProcessManager(pool);
  if (!style) return [];
  if (style.value === null) return [missingProcessManager(pool)];
  const children = poolInteger(pool, 'pm.max_children');
  if (!children) return [];
  if (children.value < 1) return [tooFewChildren(pool, children, style.value === 'dynamic', capacity)];
  if (style.value === 'dynamic') return [dynamicProblem(pool, children, style)];
  if (style.value === 'ondemand') return [ondemandMechanism(pool, style), idleTimeout(pool)];
  return [];
}

function missingProcessManager(pool: FpmPoolConfig): Report {
  const spares = ['pm.min_spare_servers', 'pm.max_spare_servers'].every((key) => pool.scalar(key));
  const mechanism = eventMechanism(pool.configuration);
  const style = spares ? 'dynamic' : !mechanism || supportsOndemand(mechanism.value) ? 'ondemand' : 'static';
  return refusal(pool, undefined, 'the process manager is missing (static, dynamic or ondemand)', `${REFUSED}; \`pm\` is mandatory`,
    { fixes: [setPoolOptions(pool, [['pm', style]])] });
}

function tooFewChildren(pool: FpmPoolConfig, children: Resolved<number>, dynamic: boolean, capacity: Capacity | undefined): Report {
  const maxSpare = dynamic ? poolInteger(pool, 'pm.max_spare_servers')?.value ?? 0 : 0;
  // php-fpm's sample www.conf has 5; with the machine's memory known, its capacity.
  const suggested = Math.max(1, capacity ? capacity.workers : 5, maxSpare);
  return refusal(pool, children.setting, 'pm.max_children must be a positive value', `${REFUSED}; it is the most workers the pool may run`,
    { fixes: [setPoolOptions(pool, [['pm.max_children', String(suggested)]], pool.scalar('pm'))] });
}

const SPARE_KEYS = { minSpare: 'pm.min_spare_servers', maxSpare: 'pm.max_spare_servers', start: 'pm.start_servers' } as const;

/** The first relation of `pm = dynamic` that fails, as php-fpm checks them one after the other. */
function dynamicProblem(pool: FpmPoolConfig, children: Resolved<number>, style: Resolved<unknown>): Report | undefined {
  const min = poolInteger(pool, SPARE_KEYS.minSpare);
  const max = poolInteger(pool, SPARE_KEYS.maxSpare);
  const start = poolInteger(pool, SPARE_KEYS.start);
  if (!min || !max) return undefined;
  // An unknown start is php-fpm's to choose as far as these relations go.
  const current = { minSpare: min.value, maxSpare: max.value, start: start?.value ?? 0 };
  const fit = fitSpareServers(children.value, current);
  const changed = (Object.keys(SPARE_KEYS) as (keyof typeof SPARE_KEYS)[]).filter((k) => fit[k] !== current[k]);
  const fitFix = setPoolOptions(pool, changed.map((k) => [SPARE_KEYS[k], String(fit[k])]), style.setting);
  const spareRange = `the spare servers must satisfy 1 ≤ min ≤ max ≤ pm.max_children (${children.value})`;

  if (min.value <= 0) {
    return refusal(pool, min.setting, `pm.min_spare_servers(${min.value}) must be a positive value`, `${REFUSED}; ${spareRange}`, { fixes: [fitFix] });
  }
  if (max.value <= 0) {
    return refusal(pool, max.setting, `pm.max_spare_servers(${max.value}) must be a positive value`, `${REFUSED}; ${spareRange}`, { fixes: [fitFix] });
  }
  if (min.value > children.value || max.value > children.value) {
    const raise = setPoolOptions(pool, [['pm.max_children', String(Math.max(min.value, max.value))]], undefined, false);
    return refusal(pool, max.value > children.value ? max.setting : min.setting,
      `pm.min_spare_servers(${min.value}) and pm.max_spare_servers(${max.value}) cannot be greater than pm.max_children(${children.value})`,
      `${REFUSED}; idle workers are counted within pm.max_children`,
      { related: related([children.setting]), fixes: [fitFix, raise] });
  }
  if (max.value < min.value) {
    return refusal(pool, max.setting, `pm.max_spare_servers(${max.value}) must not be less than pm.min_spare_servers(${min.value})`,
      `${REFUSED}; the two look swapped`, { related: related([min.setting]), fixes: [fitFix] });
  }
  if (start && start.value > 0 && (start.value < min.value || start.value > max.value)) {
    return refusal(pool, start.setting,
      `pm.start_servers(${start.value}) must not be less than pm.min_spare_servers(${min.value}) and not greater than pm.max_spare_servers(${max.value})`,
      `${REFUSED}; php-fpm starts min + (max − min) / 2 = ${fit.start} when it is not set`,
      { related: related([min.setting, max.setting]), fixes: [fitFix] });
  }
  const rate = poolInteger(pool, 'pm.max_spawn_rate');
  if (rate && rate.value < 1) {
    return refusal(pool, rate.setting, 'pm.max_spawn_rate must be a positive value', `${REFUSED}; php-fpm's default is 32`,
      { fixes: [setPoolOptions(pool, [['pm.max_spawn_rate', '32']])] });
  }
  return undefined;
}

function ondemandMechanism(pool: FpmPoolConfig, style: Resolved<unknown>): Report | undefined {
  const mechanism = eventMechanism(pool.configuration);
  if (!mechanism?.setting || supportsOndemand(mechanism.value)) return undefined;
  return refusal(pool, style.setting,
    'ondemand process manager can ONLY be used when events.mechanism is either epoll (Linux) or kqueue (*BSD).',
    `${REFUSED}; [global] sets events.mechanism = ${mechanism.value}`, {
      related: related([mechanism.setting]),
      fixes: [{ title: 'Set events.mechanism = epoll', edits: [replaceValue(mechanism.setting, 'epoll')], isPreferred: true }],
    });
}

function idleTimeout(pool: FpmPoolConfig): Report | undefined {
  const idle = poolSeconds(pool, 'pm.process_idle_timeout');
  if (!idle || idle.value >= 1) return undefined;
  return refusal(pool, idle.setting, `pm.process_idle_timeout(${idle.value}s) must be greater than 0s`, `${REFUSED}; php-fpm's default is 10s`,
    { fixes: [setPoolOptions(pool, [['pm.process_idle_timeout', '10s']])] });
}

function missingStatusListen(pool: FpmPoolConfig): Report | undefined {
  const statusListen = poolString(pool, 'pm.status_listen');
  if (!statusListen?.setting || statusListen.value) return undefined;
  return {
    ...at(pool, statusListen.setting),
    message: `[pool ${pool.name}_status] no listen address have been defined! — ${REFUSED}; an empty pm.status_listen still opens the status pool, without an address`,
  };
}

/** fpm_conf_process_all_pools' checks of pm.status_path and ping.path. */
function uriPathProblem(pool: FpmPoolConfig, key: 'pm.status_path' | 'ping.path', label: 'status' | 'ping'): Report | undefined {
  const path = poolString(pool, key);
  if (!path?.setting || !path.value) return undefined;
  const value = path.value;
  // A status page on its own listener may be `/`.
  const mayBeRoot = label === 'status' && typeof poolString(pool, 'pm.status_listen')?.value === 'string';
  let wording: string;
  if (!value.startsWith('/')) wording = `the ${label} path '${value}' must start with a '/'`;
  else if (value.length < 2 && !mayBeRoot) wording = `the ${label} path '${value}' is not long enough`;
  else if (/[^A-Za-z0-9/_\-.~]/.test(value)) wording = `the ${label} path '${value}' must contain only the following characters '[alphanum]/_-.~'`;
  else return undefined;
  let fixed = value.replace(/[^A-Za-z0-9/_\-.~]/g, '-');
  if (!fixed.startsWith('/')) fixed = `/${fixed}`;
  if (fixed.length < 2) fixed = `/${label}`;
  return refusal(pool, path.setting, wording, `${REFUSED}; nginx must pass this URI to the pool as it is written`,
    { fixes: [setPoolOptions(pool, [[key, fixed]])] });
}

function emptyPingResponse(pool: FpmPoolConfig): Report | undefined {
  const ping = poolString(pool, 'ping.path');
  const response = poolString(pool, 'ping.response');
  if (!ping?.value || !response?.setting || response.value !== '') return undefined;
  return refusal(pool, response.setting, "the ping response page '' is not long enough", `${REFUSED}; php-fpm answers \`pong\` when it is not set`,
    { fixes: [setPoolOptions(pool, [['ping.response', 'pong']])] });
}

/**
 * Where the quick fix sends slow-request backtraces: beside the pool's access log or php-fpm's error log when one
 * is a file, else /var/log. Not /proc/self/fd/2: php-fpm must open it, which fails on the journal's socket.
 */
function slowlogPath(pool: FpmPoolConfig): string {
  const logs = [pool.scalar('access.log'), globalSetting(pool.configuration, 'error_log')].map((s) => s?.entry.value);
  const folder = logs.map((log) => log && /^\/(?!proc\/|dev\/)/.test(log) ? posix.dirname(log) : undefined).find((f) => f !== undefined);
  return folder ? posix.join(folder, '$pool.slow.log') : '/var/log/php-fpm-$pool.slow.log';
}

function slowlogProblems(pool: FpmPoolConfig): (Report | undefined)[] {
  const slowlog = poolString(pool, 'slowlog');
  const noSlowlog = slowlog !== undefined && !slowlog.value;
  const timeout = poolSeconds(pool, 'request_slowlog_timeout');
  const depth = poolInteger(pool, 'request_slowlog_trace_depth');
  const terminate = poolSeconds(pool, 'request_terminate_timeout');
  const needsSlowlog = (setting: FpmSetting | undefined, option: string) => refusal(pool, setting,
    `'slowlog' must be specified for use with '${option}'`, `${REFUSED}; the slow requests' backtraces are written there`,
    { fixes: [setPoolOptions(pool, [['slowlog', slowlogPath(pool)]], setting)] });
  const reports: (Report | undefined)[] = [];
  if (timeout?.setting && timeout.value !== 0) {
    if (noSlowlog) reports.push(needsSlowlog(timeout.setting, 'request_slowlog_timeout'));
    if (terminate && terminate.value !== 0 && timeout.value > terminate.value) {
      const half = `${Math.max(1, Math.floor(terminate.value / 2))}s`;
      reports.push(refusal(pool, timeout.setting,
        `'request_slowlog_timeout' (${timeout.value}) can't be greater than 'request_terminate_timeout' (${terminate.value})`,
        `${REFUSED}; the worker is killed before its backtrace would be written`,
        { related: related([terminate.setting]), fixes: [setPoolOptions(pool, [['request_slowlog_timeout', half]])] }));
    }
  }
  if (depth?.setting && depth.value !== 0) {
    if (noSlowlog) reports.push(needsSlowlog(depth.setting, 'request_slowlog_trace_depth'));
    if (depth.value < 0) {
      reports.push(refusal(pool, depth.setting, `'request_slowlog_trace_depth' (${depth.value}) must be a positive value`,
        `${REFUSED}; php-fpm's default is 20`, { fixes: [setPoolOptions(pool, [['request_slowlog_trace_depth', '20']])] }));
    }
  }
  return reports;
}

function chrootProblem(pool: FpmPoolConfig): Report | undefined {
  const chroot = poolString(pool, 'chroot');
  const value = chroot?.value;
  if (!chroot?.setting || !value || !value.includes('$prefix') || value.startsWith('$prefix')) return undefined;
  return refusal(pool, chroot.setting, `the chroot path '${value}' must start with a '/'`,
    `${REFUSED}; php-fpm logs "'$prefix' must be use at the beginning of the value" and leaves the path unexpanded`);
}

// ---- across pools

interface Listener {
  name: string;
  setting: FpmSetting;
  /** What php-fpm compares: the address, a relative socket path under the pool's prefix. */
  key: string;
}

/** Pools in load order, then the status pools php-fpm adds for pm.status_listen: each whose address an earlier one uses. */
function sharedListens(configuration: FpmConfiguration): Report[] {
  const listeners: Listener[] = [];
  const statusListeners: Listener[] = [];
  for (const pool of configuration.pools) {
    const prefix = poolString(pool, 'prefix')?.value ?? '';
    const listen = poolString(pool, 'listen');
    if (listen?.setting && listen.value) listeners.push({ name: pool.name, setting: listen.setting, key: listenKey(listen.value, prefix) });
    const status = poolString(pool, 'pm.status_listen');
    if (status?.setting && status.value) statusListeners.push({ name: `${pool.name}_status`, setting: status.setting, key: listenKey(status.value, '') });
  }
  // The first listener of each address, so each later one is looked up, not compared with every earlier one.
  const first = new Map<string, Listener>();
  return [...listeners, ...statusListeners].flatMap((later) => {
    const earlier = first.get(later.key);
    if (!earlier) {
      first.set(later.key, later);
      return [];
    }
    return [{
      file: later.setting.file.id,
      range: later.setting.entry.valueRange,
      message: `[pool ${later.name}] unable to set listen address as it's already used in another pool '${earlier.name}' — ${REFUSED}; give each pool its own address`,
      related: [{ file: earlier.setting.file.id, range: earlier.setting.entry.valueRange, message: `pool '${earlier.name}' listens here` }],
    }];
  });
}

function listenKey(address: string, prefix: string): string {
  return listenKind(address) === 'unix' && !address.startsWith('/') ? `${prefix}/${address}` : address;
}
