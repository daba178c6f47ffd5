import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/upstream-undefined';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const lint = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });
/** A main config that includes its upstreams from conf.d and its site. */
const origin = (site: string, upstreams = 'upstream backend { server 10.0.0.1:8080; }\n') => ({
  '/n/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n    include site.conf;\n}\n',
  '/n/conf.d/upstreams.conf': upstreams,
  '/n/site.conf': site,
});
const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

test('a misspelt upstream: error on the name, the nearest upstream of any included file as the preferred fix', () => {
  const files = origin('server {\n    location / {\n        proxy_pass http://bakend/api/;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-undefined error /n/site.conf:2:26-2:32']);
  assert.equal(
    findings[0].message,
    'No upstream block is named "bakend", so nginx resolves it as a host name at start; where it does not resolve, nginx -t fails with host not found in upstream "bakend" and the configuration is not loaded (502 on a fresh start). Did you mean "backend"?',
  );
  assert.deepEqual(findings[0].fixes, [{ title: 'Change to "backend"', isPreferred: true, edits: [{ file: '/n/site.conf', range: range(2, 26, 32), newText: 'backend' }] }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'].split('\n')[2], '        proxy_pass http://backend/api/;');
  assert.deepEqual(lint(fixed), []);
});

test('an upstream name with a port: error over name and port, the fix drops the port', () => {
  const files = origin('server {\n    location / { proxy_pass http://backend:8080/api/; }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-undefined error /n/site.conf:1:35-1:47']);
  assert.equal(
    findings[0].message,
    'nginx -t fails: upstream "backend" may not have port 8080. The configuration is not loaded (502 on a fresh start); drop the port, the upstream\'s servers carry theirs.',
  );
  assert.deepEqual(findings[0].related, [{ file: '/n/conf.d/upstreams.conf', range: range(0, 9, 16), message: 'upstream "backend" is defined here' }]);
  assert.deepEqual(findings[0].fixes, [{ title: 'Drop ":8080"', isPreferred: true, edits: [{ file: '/n/site.conf', range: range(1, 35, 47), newText: 'backend' }] }]);
  assert.deepEqual(lint(applyFix(files, findings[0].fixes![0])), []);
});

test('fastcgi, uwsgi and grpc without a port and without an upstream: no port in upstream', () => {
  const findings = lint(origin(
    'server {\n    location /a { fastcgi_pass php_fpm; }\n    location /b { uwsgi_pass 127.0.0.1; }\n    location /c { grpc_pass grpc://api.internal; }\n}\n',
    'upstream php-fpm { server unix:/run/php/php8.2-fpm.sock; }\n',
  ));
  assert.deepEqual(findings.map((f) => `${brief(f)} ${f.message.split(';')[0]}`), [
    'nginx/upstream-undefined error /n/site.conf:1:31-1:38 nginx -t fails: no port in upstream "php_fpm". fastcgi_pass has no default port, and no upstream block is named "php_fpm"',
    'nginx/upstream-undefined error /n/site.conf:2:29-2:38 nginx -t fails: no port in upstream "127.0.0.1". uwsgi_pass has no default port, and no upstream block is named "127.0.0.1"',
    'nginx/upstream-undefined error /n/site.conf:3:35-3:47 nginx -t fails: no port in upstream "api.internal". grpc_pass has no default port, and no upstream block is named "api.internal"',
  ]);
  assert.match(findings[0].message, /Did you mean "php-fpm"\?$/);
  assert.equal(findings[0].fixes![0].edits[0].newText, 'php-fpm');
  assert.equal(findings[1].fixes, undefined);
});

test('how sure: a port or Docker signs make it information; out of view, only near misses, as warnings', () => {
  const withPort = lint(origin('server { location / { proxy_pass http://app:3000; } }\n'));
  assert.deepEqual(withPort.map(brief), ['nginx/upstream-undefined information /n/site.conf:0:40-0:43']);
  assert.equal(
    withPort[0].message,
    '"app" names no upstream block, so nginx resolves it as a host name at start: right for a Docker Compose service or container name; anywhere it does not resolve, nginx -t fails with host not found in upstream "app".',
  );
  const dockerResolver = lint(origin('server { resolver 127.0.0.11 valid=10s; location / { proxy_pass http://wordpress; } }\n'));
  assert.deepEqual(dockerResolver.map(brief), ['nginx/upstream-undefined information /n/site.conf:0:71-0:80']);
  const template = lint({ '/p/nginx/templates/default.conf.template': 'server { location / { proxy_pass http://web; } }\n' });
  assert.deepEqual(template.map(brief), ['nginx/upstream-undefined information /p/nginx/templates/default.conf.template:0:40-0:43']);
  // A site whose main config is not in the workspace: a near miss of an upstream in view is a warning.
  const snippet = { '/n/sites-enabled/app': 'server { location / { proxy_pass http://webb; fastcgi_pass phpfpm; } }\n', '/n/conf.d/web.conf': 'upstream web { server 10.0.0.1:80; }\n' };
  assert.deepEqual(lint(snippet).map(brief), ['nginx/upstream-undefined warning /n/sites-enabled/app:0:40-0:44']);
  assert.match(lint(snippet)[0].message, /^No upstream block in the files in view is named "webb", .* Did you mean "web"\?$/);
  // An include in http that reads nothing may define the upstream: silent without a near miss.
  assert.deepEqual(lint(origin('include /etc/nginx/upstreams/*.conf;\nserver { location / { proxy_pass http://web; fastcgi_pass php-upstream; } }\n')), []);
  assert.deepEqual(lint(origin('include /etc/nginx/upstreams/*.conf;\nserver { location / { proxy_pass http://bakend; } }\n')).map(brief), [
    'nginx/upstream-undefined warning /n/site.conf:1:40-1:46',
  ]);
});

test('equally near upstreams: one fix each, none preferred; an upstream of stream does not count for http', () => {
  const findings = lint(origin('server { location / { proxy_pass http://app; } }\n', 'upstream ap1 { server 10.0.0.1:80; }\nupstream ap2 { server 10.0.0.2:80; }\n'));
  assert.deepEqual(findings[0].fixes?.map((f) => [f.title, f.isPreferred]), [['Change to "ap1"', undefined], ['Change to "ap2"', undefined]]);
  const stream = lint({
    '/n/nginx.conf': 'events {}\nstream {\n    upstream db { server 10.0.0.5:5432; }\n}\nhttp {\n    server { location / { proxy_pass http://db; } }\n}\n',
  });
  assert.deepEqual(stream.map(brief), ['nginx/upstream-undefined error /n/nginx.conf:5:44-5:46']);
});

test('near misses: upstreams in any included file or case, host names, addresses, localhost, sockets, variables', () => {
  assert.deepEqual(lint(origin([
    'server {',
    '    location /a { proxy_pass http://BACKEND/; }',
    '    location /b { proxy_pass http://later; }',
    '    location /c { proxy_pass https://api.example.com; }',
    '    location /d { proxy_pass http://10.0.0.7:8080; }',
    '    location /e { proxy_pass http://[::1]:8080; }',
    '    location /f { proxy_pass http://localhost:3000; }',
    '    location /g { proxy_pass http://unix:/run/app.sock; }',
    '    location /h { proxy_pass http://$upstream_name; }',
    '    location /i { fastcgi_pass backend; }',
    '    location /j { fastcgi_pass php.internal:9000; }',
    '    location /k { fastcgi_pass /run/php.sock; }',
    '}',
    'upstream later { server 10.0.0.8:80; }',
    '',
  ].join('\n'))), []);
  // The upstream lives in another snippet of the workspace: a site whose main config is not in view sees it.
  assert.deepEqual(lint({ '/n/sites-enabled/app': 'server { location / { proxy_pass http://web; } }\n', '/n/conf.d/web.conf': 'upstream web { server 10.0.0.1:80; }\n' }), []);
});
