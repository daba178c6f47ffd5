import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { range } from '../../../server/src/core/text';
import { rule } from '../../../server/src/rules/php-fpm/pm-invalid';
import { applyFix, assertFixedByPreferredFix, lint, type Files } from './fpm-harness';

const MAIN = '/p/php-fpm.conf';
const GLOBAL = '[global]\nerror_log = /var/log/php-fpm.log\n';

/** A complete configuration: php-fpm's main file holding one pool. */
function main(pool: string, global = GLOBAL): Files {
  return { [MAIN]: `${global}[www]\nuser = www-data\n${pool}` };
}

const LISTEN = 'listen = /run/php/www.sock\n';
const DYNAMIC = `${LISTEN}pm = dynamic\npm.max_children = 10\n`;

function brief(files: Files, settings: unknown = {}): string[] {
  return lint(rule, files, settings).map((f) => `${f.severity} ${f.file}:${f.range.start.line}: ${f.message}`);
}

describe('php-fpm/pm-invalid: pm = dynamic', () => {
  it('reports a spare-server count below 1 on its value and fixes it from the children', () => {
    const files = main(`${DYNAMIC}pm.min_spare_servers = 0\npm.max_spare_servers = 6\n`);
    const [finding, ...more] = lint(rule, files);
    assert.deepEqual(more, []);
    assert.deepEqual(finding, {
      rule: 'php-fpm/pm-invalid',
      severity: 'error',
      file: MAIN,
      range: range(7, 23, 7, 24),
      message: '[pool www] pm.min_spare_servers(0) must be a positive value — php-fpm refuses to start; the spare servers must satisfy 1 ≤ min ≤ max ≤ pm.max_children (10)',
      fixes: [{ title: 'Set pm.min_spare_servers = 2', edits: [{ file: MAIN, range: range(7, 23, 7, 24), newText: '2' }], isPreferred: true }],
    });
    assertFixedByPreferredFix(rule, files, finding);
  });

  it('adds a missing spare-server setting after `pm`', () => {
    const files = main(`${DYNAMIC}pm.max_spare_servers = 6\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, '[pool www] pm.min_spare_servers(0) must be a positive value — php-fpm refuses to start; the spare servers must satisfy 1 ≤ min ≤ max ≤ pm.max_children (10)');
    assert.deepEqual(finding.range, range(2, 0, 2, 5));
    const fixed = assertFixedByPreferredFix(rule, files, finding);
    assert.match(fixed[MAIN], /\npm = dynamic\npm.min_spare_servers = 2\npm.max_children = 10\n/);
  });

  it('reports spare servers above pm.max_children, with the limit as related, and two fixes', () => {
    const files = main(`${DYNAMIC}pm.min_spare_servers = 2\npm.max_spare_servers = 12\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, '[pool www] pm.min_spare_servers(2) and pm.max_spare_servers(12) cannot be greater than pm.max_children(10) — php-fpm refuses to start; idle workers are counted within pm.max_children');
    assert.deepEqual(finding.range, range(8, 23, 8, 25));
    assert.deepEqual(finding.related, [{ file: MAIN, range: range(6, 0, 6, 20), message: 'pm.max_children = 10' }]);
    assert.deepEqual(finding.fixes?.map((f) => [f.title, f.isPreferred]), [['Set pm.max_spare_servers = 6', true], ['Set pm.max_children = 12', undefined]]);
    assertFixedByPreferredFix(rule, files, finding);
    assert.deepEqual(lint(rule, applyFix(files, finding.fixes![1])), []);
  });

  it('swaps spare servers written the wrong way round', () => {
    const files = main(`${DYNAMIC}pm.min_spare_servers = 6\npm.max_spare_servers = 2\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, '[pool www] pm.max_spare_servers(2) must not be less than pm.min_spare_servers(6) — php-fpm refuses to start; the two look swapped');
    assert.deepEqual(finding.fixes?.[0].title, 'Set pm.min_spare_servers = 2, pm.max_spare_servers = 6');
    assertFixedByPreferredFix(rule, files, finding);
  });

  it('puts pm.start_servers in the middle of the spare range', () => {
    const files = main(`${DYNAMIC}pm.min_spare_servers = 2\npm.max_spare_servers = 6\npm.start_servers = 8\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, '[pool www] pm.start_servers(8) must not be less than pm.min_spare_servers(2) and not greater than pm.max_spare_servers(6) — php-fpm refuses to start; php-fpm starts min + (max − min) / 2 = 4 when it is not set');
    assert.deepEqual(finding.related?.map((r) => r.message), ['pm.min_spare_servers = 2', 'pm.max_spare_servers = 6']);
    assert.deepEqual(finding.fixes?.[0].edits, [{ file: MAIN, range: range(9, 19, 9, 20), newText: '4' }]);
    assertFixedByPreferredFix(rule, files, finding);
  });

  it('leaves an unset or non-positive pm.start_servers to php-fpm, and checks pm.max_spawn_rate', () => {
    assert.deepEqual(brief(main(`${DYNAMIC}pm.min_spare_servers = 2\npm.max_spare_servers = 6\npm.start_servers = 0\n`)), []);
    const files = main(`${DYNAMIC}pm.min_spare_servers = 2\npm.max_spare_servers = 6\npm.max_spawn_rate = 0\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, "[pool www] pm.max_spawn_rate must be a positive value — php-fpm refuses to start; php-fpm's default is 32");
    assertFixedByPreferredFix(rule, files, finding);
  });
});

describe('php-fpm/pm-invalid: presence and other relations', () => {
  it('reports pm.max_children below 1 and sets the capacity when the memory is known', () => {
    const files = main(`${LISTEN}pm = static\npm.max_children = 0\n`);
    const settings = { server: { memoryMB: 4096 } };
    const [finding] = lint(rule, files, settings);
    assert.equal(finding.message, '[pool www] pm.max_children must be a positive value — php-fpm refuses to start; it is the most workers the pool may run');
    assert.deepEqual(finding.fixes?.[0].title, 'Set pm.max_children = 48');
    assertFixedByPreferredFix(rule, files, finding, settings);
    assert.deepEqual(lint(rule, main(`${LISTEN}pm = static\n`)).map((f) => f.fixes?.[0].title), ['Set pm.max_children = 5']);
  });

  it('adds a missing pm after the header, indented like the pool and with its line breaks', () => {
    const files = { [MAIN]: '[global]\r\nerror_log = /var/log/php-fpm.log\r\n[www]\r\n  user = www-data\r\n  listen = 9000\r\n  pm.max_children = 5\r\n' };
    const [finding] = lint(rule, files);
    assert.deepEqual(finding.range, range(2, 0, 2, 5));
    assert.equal(finding.message, '[pool www] the process manager is missing (static, dynamic or ondemand) — php-fpm refuses to start; `pm` is mandatory');
    assert.deepEqual(finding.fixes?.[0].edits, [{ file: MAIN, range: range(2, 5, 2, 5), newText: '\r\n  pm = ondemand' }]);
    const fixed = assertFixedByPreferredFix(rule, files, finding);
    assert.equal(fixed[MAIN], '[global]\r\nerror_log = /var/log/php-fpm.log\r\n[www]\r\n  pm = ondemand\r\n  user = www-data\r\n  listen = 9000\r\n  pm.max_children = 5\r\n');
  });

  it('reports a missing or empty listen, only when php-fpm\'s main file is in the workspace', () => {
    assert.deepEqual(brief(main('pm = static\npm.max_children = 5\n')), [
      `error ${MAIN}:2: [pool www] no listen address have been defined! — php-fpm refuses to start; set \`listen\` to the address nginx's fastcgi_pass names, e.g. /run/php/php-fpm.sock or 127.0.0.1:9000`,
    ]);
    assert.deepEqual(lint(rule, main('listen = ""\npm = static\npm.max_children = 5\n')).map((f) => f.range), [range(4, 9, 4, 11)]);
    // A pool folder on its own may be layered over an image's www.conf that sets them.
    assert.deepEqual(brief({ '/p/pool.d/zz-custom.conf': '[www]\npm = ondemand\npm.max_children = 20\n' }), []);
  });

  it('warns about a pool without user in a complete configuration', () => {
    assert.deepEqual(brief({ [MAIN]: `${GLOBAL}[www]\n${LISTEN}pm = static\npm.max_children = 5\n` }), [
      `warning ${MAIN}:2: [pool www] user has not been defined — php-fpm refuses this pool when its master runs as root (as the packaged service does) without --allow-to-run-as-root`,
    ]);
  });

  it('reports pm = ondemand without epoll, with the fix in [global]', () => {
    const files = main(`${LISTEN}pm = ondemand\npm.max_children = 5\n`, '[global]\nevents.mechanism = poll\n');
    const [finding] = lint(rule, files);
    assert.equal(finding.message, '[pool www] ondemand process manager can ONLY be used when events.mechanism is either epoll (Linux) or kqueue (*BSD). — php-fpm refuses to start; [global] sets events.mechanism = poll');
    assert.deepEqual(finding.related, [{ file: MAIN, range: range(1, 0, 1, 23), message: 'events.mechanism = poll' }]);
    assert.deepEqual(finding.fixes?.[0].edits, [{ file: MAIN, range: range(1, 19, 1, 23), newText: 'epoll' }]);
    assertFixedByPreferredFix(rule, files, finding);
  });

  it('reports pm.process_idle_timeout of 0 seconds', () => {
    const files = main(`${LISTEN}pm = ondemand\npm.max_children = 5\npm.process_idle_timeout = 0s\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, "[pool www] pm.process_idle_timeout(0s) must be greater than 0s — php-fpm refuses to start; php-fpm's default is 10s");
    assertFixedByPreferredFix(rule, files, finding);
  });

  it('requires slowlog with request_slowlog_timeout, beside the error log', () => {
    const files = main(`${LISTEN}pm = static\npm.max_children = 5\nrequest_slowlog_timeout = 5s\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, "[pool www] 'slowlog' must be specified for use with 'request_slowlog_timeout' — php-fpm refuses to start; the slow requests' backtraces are written there");
    assert.deepEqual(finding.fixes?.[0].edits, [{ file: MAIN, range: range(7, 28, 7, 28), newText: '\nslowlog = /var/log/$pool.slow.log' }]);
    assertFixedByPreferredFix(rule, files, finding);
  });

  it('keeps request_slowlog_timeout within a non-zero request_terminate_timeout', () => {
    const files = main(`${LISTEN}pm = static\npm.max_children = 5\nslowlog = /var/log/www.slow\nrequest_slowlog_timeout = 1m\nrequest_terminate_timeout = 30s\n`);
    const [finding] = lint(rule, files);
    assert.equal(finding.message, "[pool www] 'request_slowlog_timeout' (60) can't be greater than 'request_terminate_timeout' (30) — php-fpm refuses to start; the worker is killed before its backtrace would be written");
    assert.deepEqual(finding.related?.map((r) => r.message), ['request_terminate_timeout = 30s']);
    assert.deepEqual(finding.fixes?.[0].title, 'Set request_slowlog_timeout = 15s');
    assertFixedByPreferredFix(rule, files, finding);
  });

  it('checks request_slowlog_trace_depth', () => {
    assert.deepEqual(lint(rule, main(`${LISTEN}pm = static\npm.max_children = 5\nrequest_slowlog_trace_depth = -1\n`)).map((f) => f.message), [
      "[pool www] 'slowlog' must be specified for use with 'request_slowlog_trace_depth' — php-fpm refuses to start; the slow requests' backtraces are written there",
      "[pool www] 'request_slowlog_trace_depth' (-1) must be a positive value — php-fpm refuses to start; php-fpm's default is 20",
    ]);
  });

  it('checks the status and ping paths and the ping response', () => {
    const files = main(`${LISTEN}pm = static\npm.max_children = 5\npm.status_path = status\nping.path = /\nping.response = ""\n`);
    assert.deepEqual(lint(rule, files).map((f) => [f.message, f.fixes?.[0].title]), [
      ["[pool www] the status path 'status' must start with a '/' — php-fpm refuses to start; nginx must pass this URI to the pool as it is written", 'Set pm.status_path = /status'],
      ["[pool www] the ping path '/' is not long enough — php-fpm refuses to start; nginx must pass this URI to the pool as it is written", 'Set ping.path = /ping'],
      ["[pool www] the ping response page '' is not long enough — php-fpm refuses to start; php-fpm answers `pong` when it is not set", 'Set ping.response = pong'],
    ]);
    const [chars] = lint(rule, main(`${LISTEN}pm = static\npm.max_children = 5\npm.status_path = "/st@tus"\n`));
    assert.equal(chars.message, "[pool www] the status path '/st@tus' must contain only the following characters '[alphanum]/_-.~' — php-fpm refuses to start; nginx must pass this URI to the pool as it is written");
    assert.equal(chars.fixes?.[0].title, 'Set pm.status_path = /st-tus');
    assert.deepEqual(brief(main(`${LISTEN}pm = static\npm.max_children = 5\npm.status_path = /\npm.status_listen = 127.0.0.1:9001\n`)), []);
  });

  it('checks process.priority and $prefix inside chroot', () => {
    assert.deepEqual(lint(rule, main(`${LISTEN}pm = static\npm.max_children = 5\nprocess.priority = -20\nchroot = /srv/$prefix\n`)).map((f) => [f.message, f.fixes?.[0]?.title]), [
      ['[pool www] process.priority must be included into [-19,20] — php-fpm refuses to start; nice(2) priorities run from -19 to 20', 'Set process.priority = -19'],
      ["[pool www] the chroot path '/srv/$prefix' must start with a '/' — php-fpm refuses to start; php-fpm logs \"'$prefix' must be use at the beginning of the value\" and leaves the path unexpanded", undefined],
    ]);
  });
});

describe('php-fpm/pm-invalid: across pools', () => {
  it('reports two pools of one configuration on one address, on the later one', () => {
    const files = {
      [MAIN]: '[global]\ninclude = /etc/php/8.2/fpm/pool.d/*.conf\n',
      '/p/pool.d/a.conf': `[a]\nuser = www-data\n${LISTEN}pm = static\npm.max_children = 5\n`,
      '/p/pool.d/b.conf': `[b]\nuser = www-data\n${LISTEN}pm = static\npm.max_children = 5\n`,
    };
    assert.deepEqual(lint(rule, files), [{
      rule: 'php-fpm/pm-invalid',
      severity: 'error',
      file: '/p/pool.d/b.conf',
      range: range(2, 9, 2, 26),
      message: "[pool b] unable to set listen address as it's already used in another pool 'a' — php-fpm refuses to start; give each pool its own address",
      related: [{ file: '/p/pool.d/a.conf', range: range(2, 9, 2, 26), message: "pool 'a' listens here" }],
    }]);
  });

  it('counts pm.status_listen as a pool of its own, and a reopened section as the same pool', () => {
    assert.deepEqual(brief(main(`${LISTEN}pm = static\npm.max_children = 5\npm.status_listen = /run/php/www.sock\n`)), [
      `error ${MAIN}:7: [pool www_status] unable to set listen address as it's already used in another pool 'www' — php-fpm refuses to start; give each pool its own address`,
    ]);
    assert.deepEqual(brief(main(`${LISTEN}pm = static\npm.max_children = 5\npm.status_listen = ""\n`)), [
      `error ${MAIN}:7: [pool www_status] no listen address have been defined! — php-fpm refuses to start; an empty pm.status_listen still opens the status pool, without an address`,
    ]);
    assert.deepEqual(brief(main(`${LISTEN}pm = static\npm.max_children = 5\n[WWW]\n${LISTEN}`)), []);
  });

  it('is silent on well-formed configurations', () => {
    const debian = {
      '/etc/php/8.2/fpm/php-fpm.conf': '[global]\npid = /run/php/php8.2-fpm.pid\nerror_log = /var/log/php8.2-fpm.log\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\n',
      '/etc/php/8.2/fpm/pool.d/www.conf': '[www]\nuser = www-data\ngroup = www-data\nlisten = /run/php/php8.2-fpm.sock\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n;slowlog = log/$pool.log.slow\n',
    };
    assert.deepEqual(brief(debian), []);
    const container = { '/srv/php-fpm.d/www.conf': '[global]\nerror_log = /proc/self/fd/2\n[www]\nlisten = 9000\npm = ondemand\npm.max_children = 20\npm.process_idle_timeout = 10s;\npm.status_path = /fpm-status\nping.path = /fpm-ping\n' };
    assert.deepEqual(brief(container), []);
  });
});
