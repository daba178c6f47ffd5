import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../server/src/rules/nginx/upstream-keepalive-fpm';
import { analyze, brief, workspace } from '../engine-harness';
import { DEBIAN, NGINX_CONF, POOL, SITE } from './fixtures';

const rules = [rule];
const APP = '/etc/nginx/sites-enabled/app.conf';
const site = (upstreamBody: string, keepConn: boolean) => [
  `upstream fpm {\n    server unix:/run/php/php8.2-fpm.sock;\n${upstreamBody}}`,
  'server {',
  '    listen 8080;',
  `    location ~ \\.php$ {${keepConn ? '\n        fastcgi_keep_conn on;' : ''}`,
  '        fastcgi_pass fpm;',
  '    }',
  '}',
  '',
].join('\n');
const files = (upstreamBody: string, keepConn: boolean, workers = '4', children = '5') => ({
  [NGINX_CONF]: DEBIAN[NGINX_CONF].replace('worker_processes auto;', `worker_processes ${workers};`),
  [APP]: site(upstreamBody, keepConn),
  [POOL]: DEBIAN[POOL].replace('pm.max_children = 5', `pm.max_children = ${children}`),
});

test('Debian\'s layout keeps no connections: nothing to say', () => {
  assert.deepEqual(analyze(DEBIAN, {}, { rules }), []);
});

test('idle connections nginx may keep reach pm.max_children: a hint on keepalive, pool and keep_conn related', () => {
  const findings = analyze(files('    keepalive 2;\n', true), {}, { rules });
  assert.deepEqual(findings.map(brief), [`nginx/upstream-keepalive-fpm hint ${APP}:2:4-2:16`]);
  assert.equal(findings[0].message,
    'upstream fpm keeps up to 2 idle connections per worker (4 workers: 8), each holding a child of pool [www], which has '
    + "pm.max_children = 5: once other workers' idle connections hold every child, new requests wait in php-fpm's listen "
    + 'queue until nginx gives up (504) or the queue overflows (502).');
  assert.deepEqual(findings[0].related!.map((r) => [r.file, r.range.start.line, r.message]), [
    [POOL, 7, 'pool [www] runs at most 5 children'],
    [APP, 7, 'fastcgi_keep_conn on keeps the connections open'],
  ]);
  assert.equal(findings[0].fixes, undefined);
});

test('room to spare, a single worker, or auto with more children than one worker keeps: silent', () => {
  assert.deepEqual(analyze(files('    keepalive 2;\n', true, '4', '9'), {}, { rules }), []);
  assert.deepEqual(analyze(files('    keepalive 8;\n', true, '1'), {}, { rules }), []);
  assert.deepEqual(analyze(files('    keepalive 4;\n', true, 'auto'), {}, { rules }), []);
  const auto = analyze(files('    keepalive 8;\n', true, 'auto'), {}, { rules });
  assert.match(auto[0].message, /^upstream fpm keeps up to 8 idle connections per nginx worker, each holding a child of pool \[www\]/);
});

test('half a keepalive does nothing: each half is a hint on the directive that has no effect', () => {
  const onlyUpstream = analyze(files('    keepalive 8;\n', false), {}, { rules });
  assert.deepEqual(onlyUpstream.map(brief), [`nginx/upstream-keepalive-fpm hint ${APP}:2:4-2:16`]);
  assert.equal(onlyUpstream[0].message, 'keepalive in upstream fpm has no effect: without fastcgi_keep_conn on, php-fpm closes each connection after the response, so nginx never has an idle connection to keep.');
  const onlyKeepConn = analyze(files('', true), {}, { rules });
  assert.deepEqual(onlyKeepConn.map(brief), [`nginx/upstream-keepalive-fpm hint ${APP}:6:8-6:29`]);
  assert.equal(onlyKeepConn[0].message, 'fastcgi_keep_conn on has no effect: no fastcgi_pass it applies to goes through an upstream with keepalive, so nginx closes each connection to PHP-FPM after the response anyway.');
  const direct = analyze({ ...DEBIAN, [SITE]: DEBIAN[SITE].replace('fastcgi_pass', 'fastcgi_keep_conn on;\n        fastcgi_pass') }, {}, { rules });
  assert.deepEqual(direct.map((f) => f.range.start.line), [6]);
});

test('an upstream with keepalive that proxy_pass also uses is not judged by its fastcgi side', () => {
  const shared = files('    keepalive 8;\n', false);
  shared[APP] = shared[APP].replace('    listen 8080;', '    listen 8080;\n    location /status { proxy_pass http://fpm; }');
  assert.deepEqual(analyze(shared, {}, { rules }), []);
});

test('raising pm.max_children in the pool clears the hint in the nginx file', () => {
  const { engine } = workspace(files('    keepalive 2;\n', true), {}, { rules });
  assert.equal(engine.analyze().findings.length, 1);
  engine.setFile(POOL, DEBIAN[POOL].replace('pm.max_children = 5', 'pm.max_children = 40'), 'php-fpm');
  assert.deepEqual(engine.analyze().findings, []);
});
