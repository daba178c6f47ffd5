import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, readFixtureLog } from './fixture-workspace';

/** The CLI as tsc compiles it (out/server/src/cli/main.js), run from the fixtures folder. */
const CLI = join(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'main.js');

function explainLog(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, 'explain-log', ...args], { cwd: FIXTURES, encoding: 'utf8', input });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--format json: each cause with its count, first and last seen, status and responsible config lines; exit 1', () => {
  const { code, stdout } = explainLog(['--config-root', 'origin', '--format', 'json', 'login.error.log']);
  assert.equal(code, 1);
  const { causes } = JSON.parse(stdout);
  assert.deepEqual(causes.map((c: Record<string, unknown>) => ({ ...c, explanation: undefined, next: undefined, title: undefined, fixes: undefined })), [{
    id: 'upstream-too-big-header',
    status: '502',
    count: 3,
    first: '2026-11-25T13:54:43',
    last: '2026-11-25T13:54:43',
    message: 'upstream sent too big header while reading response header from upstream',
    upstream: 'http://127.0.0.1:9002/login',
    server: 'login.test',
    request: 'GET /login HTTP/1.1',
    pool: null,
    config: [
      { file: 'nginx/nginx.conf', line: 75, text: 'proxy_buffer_size 4k', role: 'in force for location / of server login.test' },
      { file: 'nginx/nginx.conf', line: 80, text: 'proxy_pass http://127.0.0.1:9002', role: 'location / of server login.test passes the request here' },
    ],
    explanation: undefined, next: undefined, title: undefined, fixes: undefined,
  }]);
  assert.deepEqual(causes[0].fixes, [{ title: 'Set proxy_buffer_size 32k, proxy_buffers 16 16k', rule: 'nginx/upstream-buffer-too-small', file: 'nginx/nginx.conf', line: 75 }]);
});

test('text: a table by cause, most frequent first, then each cause in detail; a log from stdin', () => {
  const logs = ['orders.error.log', 'php8.2-fpm.log'].map(readFixtureLog).join('');
  const { code, stdout } = explainLog(['--config-root=origin', '-'], logs);
  assert.equal(code, 1);
  const lines = stdout.split('\n');
  assert.deepEqual(lines.slice(0, 6), [
    'CAUSE                     STATUS  COUNT  FIRST SEEN           LAST SEEN            CONFIG',
    'no-live-upstreams         502         3  2026-11-25 13:54:43  2026-11-25 13:54:43  nginx/nginx.conf:19 server 127.0.0.1:9102',
    'upstream-refused          502         2  2026-11-25 13:54:43  2026-11-25 13:54:43  nginx/nginx.conf:196 proxy_pass http://app_servers',
    'fpm-execution-timeout     502         2  2026-11-25 13:54:44  2026-11-25 13:54:44  php/fpm/pool.d/exports.conf:9 request_terminate_timeout = 1s',
    'fpm-max-children-reached  502         1  2026-11-25 13:54:44  2026-11-25 13:54:44  php/fpm/pool.d/busy.conf:9 pm.max_children = 1',
    'fpm-worker-killed         502         1  2026-11-25 13:54:44  2026-11-25 13:54:44  php/fpm/pool.d/checkout.conf:8 pm.max_children = 1',
  ]);
  assert.ok(stdout.includes('\nfpm-execution-timeout: PHP-FPM killed a script that ran past request_terminate_timeout\n'));
  assert.ok(stdout.includes('  fix:      Raise request_terminate_timeout to 60s (php-fpm/terminate-before-nginx at php/fpm/pool.d/exports.conf:9)\n'));
  assert.ok(stdout.endsWith('\n17 lines read, 9 explained by 5 causes.\n'));
});

test('without --config-root the log alone is explained; a log without causes exits 0; bad usage exits 2', () => {
  const alone = explainLog(['--format', 'json', 'refused.error.log']);
  assert.equal(alone.code, 1);
  assert.deepEqual(JSON.parse(alone.stdout).causes[0].config, []);
  const clean = explainLog(['-'], '2026/11/25 13:54:43 [notice] 1#1: signal process started\n');
  assert.equal(clean.code, 0);
  assert.equal(clean.stdout, 'No cause of a 502 or 504 found in 1 line.\n');
  for (const args of [[], ['missing.log'], ['--format', 'xml', 'refused.error.log'], ['a.log', 'b.log'], ['--colour', 'refused.error.log']]) {
    const bad = explainLog(args);
    assert.equal(bad.code, 2, args.join(' '));
    assert.match(bad.stderr, /^origin-doctor: /);
  }
});
