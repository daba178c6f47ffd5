/**
 * Differential test: whether the php-fpm rules find an error, against whether php-fpm 8.2 refuses the
 * configuration, on generated pool files: every `pm` relation on both sides of its boundary, every kind of value
 * good, bad and surprising, for every directive that has one.
 *
 * The judge is `php-fpm8.2 -t -R -p DIR -y FILE` (as root, so -R: whether a pool needs `user` depends on who
 * starts php-fpm, and that rule is a warning). php-fpm -t does not open the sockets, so a `listen` it cannot open
 * passes the test and stops php-fpm at start; where we report an error and -t accepts, the judge starts php-fpm
 * in the foreground (-F) and counts a failure before "ready to handle connections" as a refusal.
 * Where php-fpm refuses at -t, one of our error messages must quote its message, and applying our preferred fixes
 * until no error is left must get the file past `php-fpm -t`.
 *
 * Run: node --test out/test/programs/ (PHP_FPM names the binary, `php-fpm8.2` by default).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/findings';
import { applyEdits } from '../unit/apply-edits';
import { analyze } from '../unit/engine-harness';
import { EVERY_RULE } from '../unit/php-fpm/issue-4-rules';
import { phpFpmMessages } from '../unit/php-fpm/php-fpm-messages';

const PHP_FPM = process.env.PHP_FPM ?? 'php-fpm8.2';
/** Read as php-fpm's main file, like `-y FILE`: what it does not set, php-fpm does not get. */
const OUR_PATH = '/p/php-fpm.conf';
/** Stands for the case's own temporary folder in the generated text. */
const DIR = '@DIR@';

// ---------------------------------------------------------------------------------------------------------------
// Generated cases

interface Case {
  name: string;
  text: string;
}

const POOL = 'odpool';
const STATIC = [`listen = ${DIR}/${POOL}.sock`, 'pm = static', 'pm.max_children = 5'];

function configuration(poolLines: string[], globalLines: string[] = [], morePools: string[] = []): string {
  return [
    '[global]', `error_log = ${DIR}/error.log`, `pid = ${DIR}/php-fpm.pid`, ...globalLines, '',
    `[${POOL}]`, ...poolLines, ...morePools, '',
  ].join('\n');
}

const INTEGERS = ['10', '0', '-1', '', '-', '5k', '1.5', '+3', '0x10', '99999999999', '"12"', '" 7"'];
/** Computed at load time; only where any number is accepted, since we leave them to php-fpm. */
const COMPUTED_INTEGERS = ['E_ERROR', '5 | 2'];
const TIMES = ['30', '30s', '5m', '1h', '1d', '60ms', '1.5m', 'abc5', '-5', 's', '', '5x', '"10 s"', '5S', '0'];
const BOOLEANS = ['yes', 'no', 'On', 'off', 'TRUE', 'false', 'none', 'null', '1', '0', '"yes"', '"Yes"', '"0"', '""', 'maybe', '2'];
const RLIMITS = ['unlimited', 'UNLIMITED', '0', '1024', '-1', 'abc', ''];

const POOL_VALUES: Record<string, string[]> = {
  'listen.backlog': [...INTEGERS, ...COMPUTED_INTEGERS],
  'pm.max_requests': [...INTEGERS, ...COMPUTED_INTEGERS],
  rlimit_files: [...INTEGERS, ...COMPUTED_INTEGERS],
  'process.priority': [...INTEGERS, '-20', '-19', '20', '21', '64'],
  'pm.max_children': INTEGERS,
  'pm.start_servers': INTEGERS,
  'pm.min_spare_servers': INTEGERS,
  'pm.max_spare_servers': INTEGERS,
  'pm.max_spawn_rate': INTEGERS,
  'request_slowlog_trace_depth': INTEGERS,
  'pm.process_idle_timeout': TIMES,
  request_slowlog_timeout: TIMES,
  request_terminate_timeout: TIMES,
  'process.dumpable': BOOLEANS,
  request_terminate_timeout_track_finished: BOOLEANS,
  catch_workers_output: BOOLEANS,
  decorate_workers_output: BOOLEANS,
  clear_env: BOOLEANS,
  rlimit_core: RLIMITS,
  pm: ['static', 'STATIC', 'Static', '"ondemand"', 'fork', '""', 'dynamic'],
  'listen.mode': ['0660', '666', '0x1ff', 'abc', '0779', '""'],
  listen: [
    `${DIR}/other.sock`, 'other.sock', '127.0.0.1:19000', '[::1]:19000', 'localhost:19000', '*:19000', '19000', '127.0.0.1',
    'unix:/tmp/od.sock', '127.0.0.1:abc', '127.0.0.1:0', '127.0.0.1:70000', ':19000', '::1', '[::1]', '0', '99999',
    '127.0.0.1:19000abc', '""',
  ],
  'pm.status_listen': ['127.0.0.1:19001', '""', '127.0.0.1:abc', `${DIR}/${POOL}.sock`],
  'listen.allowed_clients': ['127.0.0.1', '127.0.0.1,::1', 'localhost', '"127.0.0.1, ::1"', '10.0.0.0/8'],
  'pm.status_path': ['/status', 'status', '/', '/st@tus', '"/fpm-status.php~"', '""', '/$pool'],
  'ping.path': ['/ping', 'ping', '/', '"/p!ng"', '""'],
  'ping.response': ['""', 'ok'],
  chroot: ['x$prefix'],
  'php_flag[display_errors]': ['on', 'off', '"yes"', 'maybe', '2', '""', '"Off"'],
  'php_admin_flag[log_errors]': ['yes', 'x'],
  'env[OD_X]': ['""', 'value', '$HOME'],
  'access.suppress_path[]': ['/ping', 'ping', '""'],
  'php_admin_value[memory_limit]': ['256M', '256MB', '256', '-1'],
  'php_value[max_execution_time]': ['30', '5m'],
  'php_admin_flag[zlib.output_compression]': ['on'],
  'php_value[zlib.output_compression]': ['4096'],
};

const GLOBAL_VALUES: Record<string, string[]> = {
  log_limit: [...INTEGERS, '511', '512', '100000'],
  emergency_restart_threshold: INTEGERS,
  'process.max': INTEGERS,
  'process.priority': [...INTEGERS, '-20', '-19', '20', '21', '64'],
  rlimit_files: INTEGERS,
  emergency_restart_interval: TIMES,
  process_control_timeout: TIMES,
  systemd_interval: TIMES,
  log_buffering: BOOLEANS,
  daemonize: BOOLEANS,
  rlimit_core: RLIMITS,
  log_level: ['notice', 'WARN', 'debug', 'verbose', '""', 'Error'],
  'syslog.facility': ['daemon', 'LOCAL7', 'kern', 'foo', '""'],
  'events.mechanism': ['epoll', 'poll', 'select', 'kqueue', 'port', '/dev/poll', 'EPOLL', '""', '$pool'],
  pid: [`${DIR}/$pool.pid`],
  error_log: [`${DIR}/$pool.log`],
  'syslog.ident': ['$pool', 'fpm'],
};

type Dynamic = Partial<Record<'children' | 'min' | 'max' | 'start' | 'rate', number | null>>;

/** `pm = dynamic` with 10 children, spare servers 2…6, starting 3; null leaves a setting out. */
function dynamic(changes: Dynamic): string[] {
  const values = { children: 10, min: 2, max: 6, start: 3, rate: undefined as number | null | undefined, ...changes };
  const line = (key: string, value: number | null | undefined) => (value === null || value === undefined ? [] : [`${key} = ${value}`]);
  return [
    `listen = ${DIR}/${POOL}.sock`, 'pm = dynamic', ...line('pm.max_children', values.children), ...line('pm.min_spare_servers', values.min),
    ...line('pm.max_spare_servers', values.max), ...line('pm.start_servers', values.start), ...line('pm.max_spawn_rate', values.rate),
  ];
}

const DYNAMIC_CHANGES: Dynamic[] = [
  {}, { children: 0 }, { children: 1 }, { children: -1 }, { children: null }, { children: 6 }, { children: 5 },
  { min: 0 }, { min: 1 }, { min: -1 }, { min: 6 }, { min: 7 }, { min: 10, max: 10 }, { min: 11 }, { min: null },
  { max: 0 }, { max: 1 }, { max: 2 }, { max: 10 }, { max: 11 }, { max: null },
  { start: 0 }, { start: -1 }, { start: 1 }, { start: 2 }, { start: 6 }, { start: 7 }, { start: null },
  { rate: 0 }, { rate: 1 }, { rate: -1 }, { rate: 32 },
  { children: 1, min: 1, max: 1, start: 1 }, { children: 2, min: 1, max: 2, start: 2 }, { min: null, max: null, start: null },
];

const ONDEMAND = [`listen = ${DIR}/${POOL}.sock`, 'pm = ondemand', 'pm.max_children = 5'];
const SLOWLOG = `slowlog = ${DIR}/slow.log`;

function generatedCases(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, text: string) => cases.push({ name, text });
  for (const [key, values] of Object.entries(POOL_VALUES)) {
    for (const value of values) add(`[pool] ${key} = ${value}`, configuration([...STATIC, `${key} = ${value}`]));
  }
  for (const [key, values] of Object.entries(GLOBAL_VALUES)) {
    for (const value of values) add(`[global] ${key} = ${value}`, configuration(STATIC, [`${key} = ${value}`]));
  }
  for (const changes of DYNAMIC_CHANGES) add(`dynamic ${JSON.stringify(changes)}`, configuration(dynamic(changes)));
  for (const idle of ['0', '1', '0s', '1s', '-1', '60ms', '""', '10s']) {
    add(`ondemand, pm.process_idle_timeout = ${idle}`, configuration([...ONDEMAND, `pm.process_idle_timeout = ${idle}`]));
  }
  add('ondemand, idle timeout not set', configuration(ONDEMAND));
  for (const mechanism of ['poll', 'select', 'epoll']) {
    add(`ondemand with events.mechanism = ${mechanism}`, configuration(ONDEMAND, [`events.mechanism = ${mechanism}`]));
  }
  add('ondemand, listen.backlog = -5', configuration([...ONDEMAND, 'listen.backlog = -5']));
  add('static, pm.max_children not set', configuration(STATIC.slice(0, 2)));
  add('pm not set', configuration([STATIC[0], STATIC[2]]));
  add('listen not set', configuration(STATIC.slice(1)));
  add('ping.response empty without ping.path', configuration([...STATIC, 'ping.response = ""']));
  add('ping.response empty with ping.path', configuration([...STATIC, 'ping.path = /ping', 'ping.response = ""']));
  add('status path / with its own listener', configuration([...STATIC, 'pm.status_path = /', 'pm.status_listen = 127.0.0.1:19001']));
  for (const terminate of [null, 0, 4, 5, 6]) {
    for (const slowlog of [false, true]) {
      const lines = [...STATIC, 'request_slowlog_timeout = 5', ...(slowlog ? [SLOWLOG] : []), ...(terminate === null ? [] : [`request_terminate_timeout = ${terminate}`])];
      add(`request_slowlog_timeout = 5, slowlog ${slowlog ? 'set' : 'not set'}, terminate ${terminate}`, configuration(lines));
    }
  }
  for (const depth of [5, -1, 0]) {
    add(`trace depth ${depth} with slowlog`, configuration([...STATIC, `request_slowlog_trace_depth = ${depth}`, SLOWLOG]));
  }
  add('request_slowlog_timeout = 0 without slowlog', configuration([...STATIC, 'request_slowlog_timeout = 0']));
  add('terminate shorter than max_execution_time', configuration([...STATIC, 'request_terminate_timeout = 30s', 'php_admin_value[max_execution_time] = 60']));
  const second = (name: string, listen: string) => ['', `[${name}]`, `listen = ${listen}`, 'pm = static', 'pm.max_children = 2'];
  add('two pools on one socket', configuration(STATIC, [], second('other', `${DIR}/${POOL}.sock`)));
  add('two pools on their own sockets', configuration(STATIC, [], second('other', `${DIR}/other.sock`)));
  add('a pool reopened under another case', configuration(STATIC, [], ['', `[${POOL.toUpperCase()}]`, 'pm.max_requests = 100']));
  add('a pool reopened with its listen', configuration(['pm = static', 'pm.max_children = 5'], [], ['', '[global]', 'log_level = notice', '', `[${POOL}]`, `listen = ${DIR}/${POOL}.sock`]));
  add('a status listener on another pool\'s socket', configuration([...STATIC, `pm.status_listen = ${DIR}/other.sock`], [], second('other', `${DIR}/other.sock`)));
  add('a second pool without listen', configuration(STATIC, [], ['', '[other]', 'pm = static', 'pm.max_children = 2']));
  add('relative sockets of one name in two pools', configuration([...STATIC.slice(1), 'listen = same.sock'], [], second('other', 'same.sock')));
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// The judge and our verdict

const work = mkdtempSync(join(tmpdir(), 'origin-doctor-fpm-verdicts-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  output: string;
}

function runPhpFpm(dir: string, text: string, args: string[], timeout: number): Run {
  const file = join(dir, 'php-fpm.conf');
  writeFileSync(file, text);
  const run = spawnSync(PHP_FPM, [...args, '-R', '-p', dir, '-y', file], { encoding: 'utf8', timeout, killSignal: 'SIGTERM' });
  if (run.error && (run.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw new Error(`cannot run ${PHP_FPM}: ${run.error.message}`);
  return { status: run.status, output: `${run.stderr}\n${run.stdout}`.split(dir).join(DIR) };
}

interface Verdict {
  refused: boolean;
  stage?: 'test' | 'start';
  messages: string[];
}

function phpFpmTest(dir: string, text: string): Verdict {
  const run = runPhpFpm(dir, text, ['-t'], 20_000);
  return { refused: run.status !== 0, stage: run.status !== 0 ? 'test' : undefined, messages: phpFpmMessages(run.output) };
}

/** A real start in the foreground: refused when it exits before it is ready; stopped after a few seconds. */
function phpFpmStart(dir: string, text: string): Verdict {
  const run = runPhpFpm(dir, text, ['-F', '-O'], 4_000);
  const refused = !run.output.includes('ready to handle connections') && run.status !== null && run.status !== 0;
  return { refused, stage: refused ? 'start' : undefined, messages: phpFpmMessages(run.output) };
}

function ourErrors(text: string): Finding[] {
  return analyze({ [OUR_PATH]: text }, {}, { rules: EVERY_RULE }).filter((f) => f.severity === 'error');
}

interface Outcome {
  name: string;
  agreed: boolean;
  stage?: 'test' | 'start';
  /** php-fpm refused at -t and one of our errors quotes its message. */
  quoted?: boolean;
  /** Our preferred fixes, applied until no error was left, got the file past php-fpm -t. */
  fixWorked?: boolean;
  detail: string;
}

function judge(testCase: Case, index: number): Outcome {
  const dir = join(work, `case-${index}`);
  mkdirSync(dir);
  const text = testCase.text.split(DIR).join(dir);
  const errors = ourErrors(text);
  let theirs = phpFpmTest(dir, text);
  if (!theirs.refused && errors.length > 0) theirs = phpFpmStart(dir, text);
  const ours = errors.length === 0 ? 'no error' : errors.map((e) => `${e.rule}: ${e.message}`).join(' | ');
  const outcome: Outcome = {
    name: testCase.name,
    agreed: theirs.refused === errors.length > 0,
    stage: theirs.stage,
    detail: `php-fpm ${theirs.refused ? `refuses at ${theirs.stage}: ${theirs.messages.join(' / ')}` : 'accepts'}; we report ${ours}`,
  };
  if (theirs.refused && errors.length > 0) {
    outcome.quoted = theirs.messages.some((m) => errors.some((e) => e.message.includes(m)));
    if (theirs.stage === 'test') {
      const fixed = fixedUntilClean(text);
      if (fixed !== undefined) outcome.fixWorked = !phpFpmTest(dir, fixed).refused;
    }
  }
  return outcome;
}

/** Applies our first preferred fix again and again; the text once no error is left, or undefined. */
function fixedUntilClean(text: string): string | undefined {
  let current = text;
  for (let round = 0; round < 5; round++) {
    const errors = ourErrors(current);
    if (errors.length === 0) return current;
    const fix = errors.flatMap((e) => e.fixes ?? []).find((f) => f.isPreferred);
    if (!fix) return undefined;
    current = applyEdits(current, fix.edits);
  }
  return undefined;
}

test('php-fpm rules: error verdicts agree with php-fpm8.2 on generated pools', () => {
  const probe = spawnSync(PHP_FPM, ['-v'], { encoding: 'utf8' });
  assert.ok(!probe.error && probe.status === 0, `${PHP_FPM} is not installed or does not run (set PHP_FPM): it is this test's judge; ${probe.error?.message ?? probe.stderr}`);

  const outcomes = generatedCases().map(judge);
  const refused = outcomes.filter((o) => o.stage);
  const atStart = refused.filter((o) => o.stage === 'start');
  const quoted = refused.filter((o) => o.quoted);
  const fixes = outcomes.filter((o) => o.fixWorked !== undefined);
  console.log(`php-fpm verdicts: ${outcomes.length} files, ${outcomes.filter((o) => o.agreed).length} agree `
    + `(${refused.length} refused: ${refused.length - atStart.length} by php-fpm -t, ${atStart.length} only at start; `
    + `${quoted.length} with php-fpm's message quoted; ${fixes.length} fixed by our preferred fixes, `
    + `${fixes.filter((o) => o.fixWorked).length} then accepted by php-fpm -t)`);

  assert.ok(outcomes.length >= 200, `only ${outcomes.length} generated files`);
  assert.deepEqual(outcomes.filter((o) => !o.agreed).map((o) => `${o.name}: ${o.detail}`), []);
  assert.deepEqual(refused.filter((o) => o.agreed && !o.quoted).map((o) => `${o.name}: ${o.detail}`), []);
  assert.deepEqual(fixes.filter((o) => !o.fixWorked).map((o) => `${o.name}: ${o.detail}`), []);
});
