import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/resolver-missing';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const lint = (files: Record<string, string>, settings: unknown = {}) => analyze(files, settings, { rules: [rule] });
const site = (body: string, http = '') => ({ '/n/nginx.conf': `events {}\nhttp {\n${http}    include site.conf;\n}\n`, '/n/site.conf': body });
const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

test('a host name in a proxy_pass with variables and no resolver: error on the host, the fix adds one to the server', () => {
  const files = site('server {\n    listen 80;\n    location / {\n        proxy_pass https://api.example.com$request_uri;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/resolver-missing error /n/site.conf:3:27-3:42']);
  assert.equal(
    findings[0].message,
    '"api.example.com" in proxy_pass with variables is resolved for each request, and no "resolver" is in force here: nginx logs "no resolver defined to resolve api.example.com" and answers 502. Add a resolver to the server (or http) block, e.g. "resolver 127.0.0.53 valid=30s;".',
  );
  assert.deepEqual(findings[0].fixes, [{
    title: 'Add "resolver 127.0.0.53 valid=30s;" to the server',
    edits: [{ file: '/n/site.conf', range: range(1, 4, 4), newText: 'resolver 127.0.0.53 valid=30s;\n    ' }],
  }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'].split('\n').slice(0, 3).join('\n'), 'server {\n    resolver 127.0.0.53 valid=30s;\n    listen 80;');
  assert.deepEqual(lint(fixed), []);
});

test('the fix writes the resolver of the settings, on the line of a server written on one line', () => {
  const findings = lint(site('server { location / { proxy_pass http://$http_host; } }\n'), { nginx: { resolver: '1.1.1.1 ipv6=off' } });
  assert.deepEqual(findings.map(brief), ['nginx/resolver-missing error /n/site.conf:0:40-0:50']);
  assert.match(findings[0].message, /^"\$http_host", a host the client chooses, is resolved for each request, .*"no resolver defined to resolve …"/);
  assert.deepEqual(findings[0].fixes![0].edits, [{ file: '/n/site.conf', range: range(0, 9, 9), newText: 'resolver 1.1.1.1 ipv6=off; ' }]);
});

test('names built around a variable, set and map values, $scheme targets; request data only with no upstream to mean', () => {
  const findings = lint(site([
    'map $uri $backend {',
    '    default app_a;',
    '    ~^/b    app_b;',
    '    ~^/c    "api.example.com";',
    '}',
    'upstream app_a { server 10.0.0.1:80; }',
    'upstream app_b { server 10.0.0.2:80; }',
    'server {',
    '    location /a { proxy_pass http://$backend; }',
    '    location /b { set $php "php.internal:9000"; fastcgi_pass $php; }',
    '    location /c { grpc_pass grpc://${svc}.svc.cluster.local:50051; }',
    '    location /d { proxy_pass http://$arg_target; }',
    '    location /e { proxy_pass $scheme://api.example.com; }',
    '}',
    '',
  ].join('\n')));
  assert.deepEqual(findings.map((f) => `${brief(f)} ${f.message.split(' is resolved')[0]}`), [
    'nginx/resolver-missing error /n/site.conf:8:36-8:44 "$backend", which can be "api.example.com",',
    'nginx/resolver-missing error /n/site.conf:9:61-9:65 "$php", which can be "php.internal:9000",',
    'nginx/resolver-missing error /n/site.conf:10:35-10:59 "${svc}.svc.cluster.local" in grpc_pass',
    'nginx/resolver-missing error /n/site.conf:12:39-12:54 "api.example.com" in proxy_pass with variables',
  ]);
  assert.deepEqual(findings[0].related, [{ file: '/n/site.conf', range: range(3, 4, 30), message: '"$backend" gets "api.example.com" here' }]);
});

test('near misses: a resolver in force, addresses, sockets, upstream names, values we cannot list', () => {
  assert.deepEqual(lint(site([
    'upstream backend { server 10.0.0.1:80; }',
    'upstream app_a { server 10.0.0.2:80; }',
    'map $uri $pool { default backend; ~^/a app_a; }',
    'geo $region { default eu.example.com; }',
    'server {',
    '    location /a { proxy_pass http://127.0.0.1:8080$request_uri; }',
    '    location /b { proxy_pass http://[::1]:8080/$uri; }',
    '    location /c { proxy_pass http://unix:/run/app.sock:$request_uri; }',
    '    location /d { proxy_pass http://backend$request_uri; }',
    '    location /e { proxy_pass http://$pool; }',
    '    location /f { proxy_pass http://$region; }',
    '    location ~ ^/g/(\\w+) { proxy_pass http://$1; }',
    '    location /h { set $u "$http_x_target"; proxy_pass http://$u; }',
    '    location /i { proxy_pass http://$arg_to; }',
    '    location /j { proxy_pass http://cdn.example.com; }',
    '    location /k { proxy_pass http://cdn.example.com$request_uri; }',
    '    location /l { set $php "php.internal"; fastcgi_pass $php; }',
    '    location /m { proxy_pass http://10.0.$arg_n.1:8080; }',
    '}',
    'server {',
    '    resolver 127.0.0.53;',
    '    set $api "api.example.com";',
    '    location / { proxy_pass https://$api; }',
    '}',
    'server {',
    '    location / { proxy_pass https://$api; }',
    '}',
    '',
  ].join('\n'))), []);
  // A resolver in http; a site whose main config is not in the workspace (its resolver may live there).
  assert.deepEqual(lint(site('server { location / { proxy_pass http://$host; } }\n', '    resolver 127.0.0.53;\n')), []);
  assert.deepEqual(lint({ '/n/sites-enabled/app': 'server { location / { proxy_pass http://$host; } }\n' }), []);
});

test('$host stays silent when some upstream is named like a host it could carry', () => {
  assert.deepEqual(lint(site('upstream shop.example.com { server 10.0.0.1:80; }\nserver { location / { proxy_pass http://$host; } }\n')), []);
  assert.equal(lint(site('upstream shop { server 10.0.0.1:80; }\nserver { location / { proxy_pass http://$host; } }\n')).length, 1);
});
