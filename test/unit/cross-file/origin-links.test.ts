import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { definitionAt, describeTarget, referencesAt } from '../../../server/src/features/origin-links';
import type { WorkspaceModel } from '../../../server/src/model/workspace';
import { workspace } from '../engine-harness';
import { CONTAINERS, DEBIAN, POOL, SITE, TUNNEL, positionOf } from './fixtures';

const API = '/etc/nginx/sites-enabled/api.conf';
const API_CONF = [
  'upstream api {',
  '    server 127.0.0.1:3000;',
  '    server 127.0.0.1:3001 backup;',
  '}',
  'server {',
  '    listen 80;',
  '    server_name api.example.com;',
  '    location / { proxy_pass http://api; }',
  '    location /legacy { proxy_pass http://127.0.0.1:8081; }',
  '    location /dyn { proxy_pass http://$backend; }',
  '}',
  '',
].join('\n');
const FILES: Record<string, string> = {
  ...DEBIAN,
  [API]: API_CONF,
  [TUNNEL]: DEBIAN[TUNNEL].replace('  - service: http_status:404', '  - hostname: api.example.com\n    service: http://127.0.0.1:80\n  - service: http_status:404'),
};

function model(files: Record<string, string> = FILES): WorkspaceModel {
  return workspace(files).engine.analyze().model;
}

/** Where `needle` (its `nth` occurrence) starts in `file`, moved `shift` characters in. */
function at(files: Record<string, string>, file: string, needle: string, shift = 1, nth = 1) {
  return positionOf(files[file], needle, shift, nth);
}

const line = (n: number, from: number, to: number) => ({ start: { line: n, character: from }, end: { line: n, character: to } });

test('hover on a fastcgi_pass target names the pool it reaches, with its process manager', () => {
  const m = model();
  assert.equal(describeTarget(m, SITE, at(FILES, SITE, 'unix:/run')), '→ pool [www] in pool.d/www.conf:4, pm dynamic, 5 children');
  assert.equal(describeTarget(m, SITE, at(FILES, SITE, 'fastcgi_pass')), undefined, 'the directive name is the reference hover\'s');
});

test('hover on proxy_pass: the upstream, an address nothing listens on, variables', () => {
  const m = model();
  assert.equal(describeTarget(m, API, at(FILES, API, 'http://api')), '→ upstream api (2 servers) in sites-enabled/api.conf:1');
  assert.equal(describeTarget(m, API, at(FILES, API, 'http://127.0.0.1:8081')), '→ nothing in this workspace listens on 127.0.0.1:8081');
  assert.equal(describeTarget(m, API, at(FILES, API, 'http://$backend')), '→ decided per request: the target holds variables');
  assert.equal(describeTarget(m, API, at(FILES, API, '127.0.0.1:3000')), '→ nothing in this workspace listens on 127.0.0.1:3000');
});

test('hover on a tunnel service: the nginx server that answers its hostname', () => {
  const m = model();
  assert.equal(describeTarget(m, TUNNEL, at(FILES, TUNNEL, 'http://localhost')), '→ nginx server shop.example.com in sites-enabled/shop.conf:2 (listen 80)');
  assert.equal(describeTarget(m, TUNNEL, at(FILES, TUNNEL, 'http://127.0.0.1:80')), '→ nginx server api.example.com in sites-enabled/api.conf:6 (listen 80)');
  assert.equal(describeTarget(m, TUNNEL, at(FILES, TUNNEL, 'http_status')), undefined);
});

test('hover where the workspace cannot follow: another container', () => {
  const m = model(CONTAINERS);
  const nginx = '/app/docker/nginx/default.conf';
  const tunnel = '/app/docker/cloudflared/config.yml';
  assert.equal(describeTarget(m, nginx, at(CONTAINERS, nginx, 'php:9000')), '→ php:9000: another host or container, not in this workspace');
  assert.equal(describeTarget(m, tunnel, at(CONTAINERS, tunnel, 'http://nginx')), '→ nginx:80: another host or container, not in this workspace');
});

test('go to definition: fastcgi_pass → the pool\'s listen, proxy_pass → its upstream, service → the listen of the server for its hostname', () => {
  const m = model();
  assert.deepEqual(definitionAt(m, SITE, at(FILES, SITE, 'unix:/run')), [{ file: POOL, range: line(3, 0, 33) }]);
  assert.deepEqual(definitionAt(m, API, at(FILES, API, 'http://api')), [{ file: API, range: line(0, 9, 12) }]);
  assert.deepEqual(definitionAt(m, TUNNEL, at(FILES, TUNNEL, 'http://localhost')), [{ file: SITE, range: line(1, 4, 14) }], 'the server for shop.example.com');
  assert.deepEqual(definitionAt(m, TUNNEL, at(FILES, TUNNEL, 'http://127.0.0.1:80')), [{ file: API, range: line(5, 4, 14) }], 'the server for api.example.com');
  assert.deepEqual(definitionAt(m, API, at(FILES, API, 'http://127.0.0.1:8081')), []);
  assert.deepEqual(definitionAt(m, SITE, at(FILES, SITE, 'root')), []);
});

test('find references: the pool\'s listen ← fastcgi_pass, the upstream ← proxy_pass, the nginx listen ← services', () => {
  const m = model();
  assert.deepEqual(referencesAt(m, POOL, at(FILES, POOL, 'listen =')), [{ file: SITE, range: line(6, 21, 50) }]);
  assert.deepEqual(referencesAt(m, API, at(FILES, API, 'api {')), [{ file: API, range: line(7, 28, 38) }]);
  assert.deepEqual(referencesAt(m, SITE, at(FILES, SITE, 'listen 80')), [
    { file: TUNNEL, range: line(4, 13, 32) },
    { file: TUNNEL, range: line(6, 13, 32) },
  ]);
  assert.deepEqual(referencesAt(m, POOL, at(FILES, POOL, 'pm = dynamic')), []);
});

test('a pool reached through an upstream: references point at the upstream\'s server, the hover names both hops', () => {
  const files: Record<string, string> = {
    [POOL]: DEBIAN[POOL],
    '/etc/nginx/conf.d/php.conf': 'upstream php { server unix:/run/php/php8.2-fpm.sock; }\nserver {\n    location / { fastcgi_pass php; }\n}\n',
  };
  const m = model(files);
  assert.equal(describeTarget(m, '/etc/nginx/conf.d/php.conf', at(files, '/etc/nginx/conf.d/php.conf', 'php; }')),
    '→ upstream php (1 server) in conf.d/php.conf:1\n→ pool [www] in pool.d/www.conf:4, pm dynamic, 5 children');
  assert.deepEqual(referencesAt(m, POOL, at(files, POOL, '/run/php')), [{ file: '/etc/nginx/conf.d/php.conf', range: line(0, 22, 51) }]);
  assert.deepEqual(definitionAt(m, '/etc/nginx/conf.d/php.conf', at(files, '/etc/nginx/conf.d/php.conf', 'unix:')), [{ file: POOL, range: line(3, 0, 33) }]);
});
