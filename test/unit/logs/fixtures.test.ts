import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { explainLog, ORIGIN_ROOT, readFixtureLog } from './fixture-workspace';

/**
 * Each log real nginx and PHP-FPM wrote (test/fixtures/logs, captured by test/programs/logs-capture.test.ts),
 * explained against the origin that wrote it: the cause, how often, what visitors got, and the config lines
 * behind it (`file:line text`, files relative to the origin) — the handling location's, not a decoy's.
 */
interface Expected {
  id: string;
  count: number;
  status: string;
  config: readonly string[];
  /** The config rule whose quick fix the log diagnostic offers too. */
  fixFrom?: string;
}

const FIXTURES: Record<string, readonly Expected[]> = {
  // location /api/, not the catch-all location / that passes to a live backend.
  'refused.error.log': [{ id: 'upstream-refused', count: 3, status: '502', config: ['nginx/nginx.conf:31 proxy_pass http://127.0.0.1:9101'] }],
  // The pool that should create the socket is the one PHP-FPM refused at start (php8.2-refused-fpm.log).
  'shop.error.log': [{
    id: 'upstream-socket-missing', count: 3, status: '502',
    config: ['nginx/nginx.conf:46 fastcgi_pass unix:/srv/origin/run/php/shop.sock', 'php/fpm-refused/pool.d/shop.conf:4 listen = /srv/origin/run/php/shop.sock'],
  }],
  'private.error.log': [{
    id: 'upstream-permission-denied', count: 2, status: '502',
    config: ['nginx/nginx.conf:55 proxy_pass http://unix:/srv/origin/run/app-private.sock', 'nginx/nginx.conf:1 user www-data'],
  }],
  'busy.error.log': [{
    id: 'upstream-backlog-full', count: 8, status: '502',
    config: ['nginx/nginx.conf:67 fastcgi_pass unix:/srv/origin/run/php/busy.sock', 'php/fpm/pool.d/busy.conf:9 pm.max_children = 1', 'php/fpm/pool.d/busy.conf:7 listen.backlog = 1'],
  }],
  // The server-level buffer size, inherited by location /.
  'login.error.log': [{
    id: 'upstream-too-big-header', count: 3, status: '502',
    config: ['nginx/nginx.conf:75 proxy_buffer_size 4k', 'nginx/nginx.conf:80 proxy_pass http://127.0.0.1:9002'],
    fixFrom: 'nginx/upstream-buffer-too-small',
  }],
  'crashy.error.log': [{ id: 'upstream-prematurely-closed', count: 3, status: '502', config: ['nginx/nginx.conf:89 proxy_pass http://127.0.0.1:9003'] }],
  // ^~ /static/ wins over the regex for .css.
  'assets.error.log': [{ id: 'upstream-reset', count: 3, status: '502', config: ['nginx/nginx.conf:98 proxy_pass http://127.0.0.1:9007'] }],
  // The regex location ~ ^/reports/ wins over the prefix /.
  'reports.error.log': [{
    id: 'upstream-timeout', count: 2, status: '504',
    config: ['nginx/nginx.conf:113 proxy_pass http://127.0.0.1:9004', 'nginx/nginx.conf:114 proxy_read_timeout 1s'],
  }],
  // The exact location = /feed.
  'feed.error.log': [{
    id: 'upstream-invalid-chunked', count: 3, status: '200 truncated',
    config: ['nginx/nginx.conf:127 proxy_pass http://127.0.0.1:9005', 'nginx/nginx.conf:126 proxy_http_version 1.1'],
  }],
  'legacy.error.log': [{ id: 'upstream-invalid-header', count: 2, status: '502', config: ['nginx/nginx.conf:136 proxy_pass http://127.0.0.1:9006'] }],
  'downloads.error.log': [{ id: 'upstream-truncated-body', count: 2, status: '200 truncated', config: ['nginx/nginx.conf:145 proxy_pass http://127.0.0.1:9008'] }],
  'secure.error.log': [{ id: 'upstream-ssl-handshake', count: 2, status: '502', config: ['nginx/nginx.conf:154 proxy_pass https://127.0.0.1:9001'] }],
  'verified.error.log': [{
    id: 'upstream-ssl-verify', count: 2, status: '502',
    config: [
      'nginx/nginx.conf:164 proxy_ssl_verify on', 'nginx/nginx.conf:165 proxy_ssl_trusted_certificate /srv/origin/tls/other-ca/backend.crt',
      'nginx/nginx.conf:163 proxy_pass https://127.0.0.1:9009',
    ],
  }],
  'dynamic.error.log': [{ id: 'no-resolver', count: 2, status: '502', config: ['nginx/nginx.conf:175 proxy_pass http://$backend'], fixFrom: 'nginx/resolver-missing' }],
  'lookup.error.log': [{
    id: 'upstream-unresolved', count: 2, status: '502',
    config: ['nginx/nginx.conf:183 resolver 127.0.0.1:9153 valid=10s', 'nginx/nginx.conf:184 resolver_timeout 1s', 'nginx/nginx.conf:187 proxy_pass http://$backend'],
  }],
  // Both servers refuse, are marked failed, and the next requests find no live upstream.
  'orders.error.log': [
    { id: 'no-live-upstreams', count: 3, status: '502', config: ['nginx/nginx.conf:19 server 127.0.0.1:9102', 'nginx/nginx.conf:20 server 127.0.0.1:9103', 'nginx/nginx.conf:196 proxy_pass http://app_servers'] },
    { id: 'upstream-refused', count: 2, status: '502', config: ['nginx/nginx.conf:196 proxy_pass http://app_servers', 'nginx/nginx.conf:19 server 127.0.0.1:9102', 'nginx/nginx.conf:20 server 127.0.0.1:9103'] },
  ],
  'wrong-protocol.error.log': [{
    id: 'upstream-not-fastcgi', count: 2, status: '502', fixFrom: 'nginx/fastcgi-target-mismatch',
    config: [
      'nginx/nginx.conf:206 fastcgi_pass 127.0.0.1:9001',
      'php/fpm/pool.d/busy.conf:4 listen = /srv/origin/run/php/busy.sock', 'php/fpm/pool.d/checkout.conf:4 listen = /srv/origin/run/php/checkout.sock',
      'php/fpm/pool.d/exports.conf:4 listen = /srv/origin/run/php/exports.sock', 'php/fpm-refused/pool.d/shop.conf:4 listen = /srv/origin/run/php/shop.sock',
    ],
  }],
  // request_terminate_timeout killed the child (see php8.2-fpm.log).
  'exports.error.log': [{
    id: 'upstream-reset', count: 2, status: '502', fixFrom: 'php-fpm/terminate-before-nginx',
    config: ['nginx/nginx.conf:218 fastcgi_pass unix:/srv/origin/run/php/exports.sock', 'php/fpm/pool.d/exports.conf:9 request_terminate_timeout = 1s', 'php/fpm/pool.d/exports.conf:8 pm.max_children = 2'],
  }],
  // SIGKILL mid-request (see php8.2-fpm.log).
  'checkout.error.log': [{
    id: 'upstream-reset', count: 1, status: '502',
    config: ['nginx/nginx.conf:230 fastcgi_pass unix:/srv/origin/run/php/checkout.sock', 'php/fpm/pool.d/checkout.conf:8 pm.max_children = 1'],
  }],
  // A second nginx with 5 worker_connections in its events block.
  'capacity.error.log': [
    { id: 'worker-connections', count: 1, status: '502', config: ['nginx-capacity/nginx.conf:6 worker_connections 5'], fixFrom: 'nginx/worker-capacity' },
    { id: 'upstream-timeout', count: 1, status: '504', config: ['nginx-capacity/nginx.conf:19 proxy_pass http://127.0.0.1:9004', 'nginx-capacity/nginx.conf:20 proxy_read_timeout 2s'] },
  ],
  'php8.2-fpm.log': [
    { id: 'fpm-execution-timeout', count: 2, status: '502', config: ['php/fpm/pool.d/exports.conf:9 request_terminate_timeout = 1s'], fixFrom: 'php-fpm/terminate-before-nginx' },
    { id: 'fpm-max-children-reached', count: 1, status: '502', config: ['php/fpm/pool.d/busy.conf:9 pm.max_children = 1', 'php/fpm/pool.d/busy.conf:8 pm = dynamic', 'php/fpm/pool.d/busy.conf:7 listen.backlog = 1'] },
    // The SIGTERMs after the timeouts are PHP-FPM's own and not counted.
    { id: 'fpm-worker-killed', count: 1, status: '502', config: ['php/fpm/pool.d/checkout.conf:8 pm.max_children = 1', 'php/fpm/pool.d/checkout.conf:9 php_admin_value[memory_limit] = 512M'] },
  ],
  'php8.2-refused-fpm.log': [{
    id: 'fpm-config-error', count: 1, status: '502',
    config: ['php/fpm-refused/pool.d/shop.conf:9 pm.start_servers = 4', 'php/fpm-refused/pool.d/shop.conf:10 pm.min_spare_servers = 1', 'php/fpm-refused/pool.d/shop.conf:11 pm.max_spare_servers = 3'],
  }],
};

for (const [name, expected] of Object.entries(FIXTURES)) {
  test(`${name}: ${expected.map((e) => `${e.id} ×${e.count}`).join(', ')}`, () => {
    const text = readFixtureLog(name);
    const causes = explainLog(text);
    assert.deepEqual(causes.map((c) => ({
      id: c.cause.id,
      count: c.count,
      status: c.cause.status,
      config: c.config.map((p) => `${p.file.slice(ORIGIN_ROOT.length + 1)}:${p.range.start.line + 1} ${p.text}`),
    })), expected.map(({ fixFrom: _, ...e }) => e));
    expected.forEach((e, i) => {
      if (e.fixFrom) assert.ok(causes[i].findings.some((f) => f.rule === e.fixFrom && (f.fixes ?? []).length > 0), `${e.id} should offer the fix of ${e.fixFrom}`);
      // First and last seen are the times written on the cause's first and last lines.
      const lines = text.split('\n');
      assert.equal(causes[i].first, timeOf(lines[causes[i].firstLine]));
      assert.equal(causes[i].last, timeOf(lines[causes[i].lastLine]));
    });
  });
}

function timeOf(line: string): string | undefined {
  const nginx = /^(\d{4})\/(\d{2})\/(\d{2}) (\S+)/.exec(line);
  if (nginx) return `${nginx[1]}-${nginx[2]}-${nginx[3]}T${nginx[4]}`;
  const fpm = /^\[(\d{2})-Nov-(\d{4}) (\S+)\]/.exec(line);
  return fpm ? `${fpm[2]}-11-${fpm[1]}T${fpm[3]}` : undefined;
}
