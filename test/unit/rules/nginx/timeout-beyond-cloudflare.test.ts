import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/timeout-beyond-cloudflare';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const run = (files: Record<string, string>, settings: unknown = {}) => analyze(files, settings, { rules: [rule] });

const site = (lines: string[]) => `server {\n${lines.map((l) => `    ${l}\n`).join('')}}\n`;

test('a read timeout above 125 s: information on the value, lowered to 125s by the fix', () => {
  const files = { '/n/site.conf': site(['location / {', '    proxy_pass http://127.0.0.1:3000;', '    proxy_read_timeout 300s;', '}']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/timeout-beyond-cloudflare information /n/site.conf:3:27-3:31']);
  assert.equal(findings[0].message, 'proxy_read_timeout 300s waits longer than Cloudflare does (125 s): Cloudflare gives up first and the visitor sees 524, not nginx\'s answer. Lower it to 125s or make the slow request asynchronous.');
  assert.deepEqual(findings[0].fixes, [{
    title: 'Lower proxy_read_timeout to 125s',
    isPreferred: true,
    edits: [{ file: '/n/site.conf', range: { start: { line: 3, character: 27 }, end: { line: 3, character: 31 } }, newText: '125s' }],
  }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'], site(['location / {', '    proxy_pass http://127.0.0.1:3000;', '    proxy_read_timeout 125s;', '}']));
  assert.deepEqual(run(fixed), []);
});

test('all four read timeouts, in every time syntax nginx reads', () => {
  const findings = run({
    '/n/nginx.conf': [
      'events {}',
      'http {',
      '    fastcgi_read_timeout 10m;',
      '    server {',
      '        uwsgi_read_timeout 126;',
      '        location / { grpc_read_timeout 2m6s; }',
      '    }',
      '}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(findings.map(brief), [
    'nginx/timeout-beyond-cloudflare information /n/nginx.conf:2:25-2:28',
    'nginx/timeout-beyond-cloudflare information /n/nginx.conf:4:27-4:30',
    'nginx/timeout-beyond-cloudflare information /n/nginx.conf:5:39-5:43',
  ]);
});

test('the limit follows the setting, in milliseconds when it is fractional', () => {
  const files = { '/n/site.conf': site(['proxy_read_timeout 101s;']) };
  const findings = run(files, { cloudflare: { proxyReadTimeoutSeconds: 100.5 } });
  assert.equal(findings[0].fixes?.[0].edits[0].newText, '100500ms');
  assert.deepEqual(run(applyFix(files, findings[0].fixes![0]), { cloudflare: { proxyReadTimeoutSeconds: 100.5 } }), []);
});

test('near misses stay silent: at or under the limit, not behind Cloudflare, an Enterprise limit, WebSockets', () => {
  assert.deepEqual(run({ '/n/site.conf': site(['proxy_read_timeout 125s;', 'fastcgi_read_timeout 2m;', 'uwsgi_read_timeout 60;']) }), []);
  assert.deepEqual(run({ '/n/site.conf': site(['proxy_read_timeout 300s;']) }, { behindCloudflare: false }), []);
  assert.deepEqual(run({ '/n/site.conf': site(['proxy_read_timeout 300s;']) }, { cloudflare: { proxyReadTimeoutSeconds: 600 } }), []);
  assert.deepEqual(run({
    '/n/site.conf': site([
      'location /ws/ {',
      '    proxy_pass http://127.0.0.1:3000;',
      '    proxy_http_version 1.1;',
      '    proxy_set_header Upgrade $http_upgrade;',
      '    proxy_set_header Connection "upgrade";',
      '    proxy_read_timeout 3600s;',
      '}',
    ]),
  }), []);
  // Other timeouts are not a wait for the answer.
  assert.deepEqual(run({ '/n/site.conf': site(['proxy_send_timeout 300s;', 'proxy_connect_timeout 300s;', 'keepalive_timeout 300s;']) }), []);
});
