import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/upstream-all-down';
import { analyze, brief } from '../../engine-harness';

const run = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });

function mainConfig(upstreamBody: string[]): string {
  return [
    'events {}',
    'http {',
    '    upstream app {',
    ...upstreamBody.map((line) => `        ${line}`),
    '    }',
    '    server {',
    '        listen 80;',
    '        location / { proxy_pass http://app; }',
    '    }',
    '}',
    '',
  ].join('\n');
}

test('every server down: error on the upstream name, each server and the pass related, no fix', () => {
  const findings = run({ '/n/nginx.conf': mainConfig(['server 10.0.0.1:3000 down;', 'server 10.0.0.2:3000 weight=2 down;']) });
  assert.deepEqual(findings.map(brief), ['nginx/upstream-all-down error /n/nginx.conf:2:13-2:16']);
  assert.equal(findings[0].message, 'every server of upstream "app" is marked down: nginx finds no live upstream and answers 502 to every request passed to it. Remove "down" from at least one server that is up.');
  assert.deepEqual(findings[0].related, [
    { file: '/n/nginx.conf', range: { start: { line: 3, character: 8 }, end: { line: 3, character: 34 } }, message: 'marked down' },
    { file: '/n/nginx.conf', range: { start: { line: 4, character: 8 }, end: { line: 4, character: 43 } }, message: 'marked down' },
    { file: '/n/nginx.conf', range: { start: { line: 8, character: 21 }, end: { line: 8, character: 43 } }, message: 'proxies to this upstream' },
  ]);
  assert.equal(findings[0].fixes, undefined);
});

test('backup servers down too: still no live upstream', () => {
  const findings = run({ '/n/nginx.conf': mainConfig(['server 10.0.0.1:3000 down;', 'server 10.0.0.2:3000 backup down;']) });
  assert.deepEqual(findings.map(brief), ['nginx/upstream-all-down error /n/nginx.conf:2:13-2:16']);
});

test('only backup servers: nginx -t refuses the upstream, and the message says so', () => {
  const findings = run({ '/n/nginx.conf': mainConfig(['server 10.0.0.1:3000 backup;']) });
  assert.deepEqual(findings.map(brief), ['nginx/upstream-all-down error /n/nginx.conf:2:13-2:16']);
  assert.equal(findings[0].message, 'upstream "app" has only backup servers: nginx -t fails with "no servers in upstream" and the configuration is not loaded. Remove "backup" from at least one server.');
  assert.equal(findings[0].related?.[0].message, 'backup server');
});

test('an upstream in an included file, used from another file', () => {
  const findings = run({
    '/n/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    '/n/conf.d/a-upstreams.conf': 'upstream api {\n    server unix:/run/api.sock down;\n}\n',
    '/n/conf.d/b-site.conf': 'server {\n    location /api/ { proxy_pass http://api; }\n}\n',
  });
  assert.deepEqual(findings.map(brief), ['nginx/upstream-all-down error /n/conf.d/a-upstreams.conf:0:9-0:12']);
  assert.deepEqual(findings[0].related?.map((r) => r.file), ['/n/conf.d/a-upstreams.conf', '/n/conf.d/b-site.conf']);
});

test('near misses stay silent: one live server, a live backup, no servers, servers from an unreadable include', () => {
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['server 10.0.0.1:3000 down;', 'server 10.0.0.2:3000;']) }), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['server 10.0.0.1:3000 down;', 'server 10.0.0.2:3000 backup;']) }), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['server 10.0.0.1:3000 max_fails=0;', 'server 10.0.0.2:3000 backup;']) }), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['keepalive 8;']) }), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['server 10.0.0.1:3000 down;', 'include /etc/nginx/upstream.d/app/*.conf;']) }), []);
});
