import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/keepalive-needs-http11';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const run = (files: Record<string, string>, version?: string) => analyze(files, version ? { nginx: { version } } : {}, { rules: [rule] });

/** A main config with a keepalive upstream; `server` and `location` are the lines inside those blocks. */
function mainConfig(location: string[], server: string[] = [], http: string[] = []): string {
  return [
    'events {}',
    'http {',
    ...http.map((line) => `    ${line}`),
    '    upstream app {',
    '        server 127.0.0.1:3000;',
    '        keepalive 16;',
    '    }',
    '    server {',
    '        listen 80;',
    ...server.map((line) => `        ${line}`),
    '        location / {',
    ...location.map((line) => `            ${line}`),
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
}

const at = (line: number, start: number, end = start) => ({ start: { line, character: start }, end: { line, character: end } });

test('neither directive (nginx 1.22.1): warning on the target, keepalive related, both added after proxy_pass', () => {
  const files = { '/n/nginx.conf': mainConfig(['proxy_pass http://app;']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/keepalive-needs-http11 warning /n/nginx.conf:9:23-9:33']);
  assert.equal(
    findings[0].message,
    'upstream "app" keeps connections alive, but this proxy_pass speaks HTTP/1.0 and sends "Connection: close": nginx closes each upstream connection after one response, so every request opens a new one and a traffic spike ends in 502. Set proxy_http_version 1.1 and proxy_set_header Connection "" (nginx 1.22.1 assumed).',
  );
  assert.deepEqual(findings[0].related, [{ file: '/n/nginx.conf', range: at(4, 8, 21), message: 'keepalive is set here' }]);
  assert.deepEqual(findings[0].fixes, [{
    title: 'Set proxy_http_version 1.1 and proxy_set_header Connection ""',
    isPreferred: true,
    edits: [{ file: '/n/nginx.conf', range: at(9, 34), newText: '\n            proxy_http_version 1.1;\n            proxy_set_header Connection "";' }],
  }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/nginx.conf'], mainConfig(['proxy_pass http://app;', 'proxy_http_version 1.1;', 'proxy_set_header Connection "";']));
  assert.deepEqual(run(fixed), []);
});

test('one proxy_set_header in the location hides the server\'s Connection ""', () => {
  const files = { '/n/nginx.conf': mainConfig(['proxy_pass http://app;', 'proxy_set_header Host $host;'], ['proxy_http_version 1.1;', 'proxy_set_header Connection "";']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/keepalive-needs-http11 warning /n/nginx.conf:11:23-11:33']);
  assert.match(findings[0].message, /this proxy_pass sends "Connection: close": .* Set proxy_set_header Connection "" \(nginx 1\.22\.1 assumed\)\.$/);
  assert.deepEqual(findings[0].fixes?.[0].edits, [{ file: '/n/nginx.conf', range: at(11, 34), newText: '\n            proxy_set_header Connection "";' }]);
  assert.deepEqual(run(applyFix(files, findings[0].fixes![0])), []);
});

test('headers inherited from the server: Connection joins them there, so Host stays in force', () => {
  const files = { '/n/nginx.conf': mainConfig(['proxy_pass http://app;'], ['proxy_http_version 1.1;', 'proxy_set_header Host $host;', 'proxy_set_header X-Real-IP $remote_addr;']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/keepalive-needs-http11 warning /n/nginx.conf:12:23-12:33']);
  assert.deepEqual(findings[0].fixes?.[0].edits, [{ file: '/n/nginx.conf', range: at(10, 48), newText: '\n        proxy_set_header Connection "";' }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/nginx.conf'], mainConfig(['proxy_pass http://app;'], ['proxy_http_version 1.1;', 'proxy_set_header Host $host;', 'proxy_set_header X-Real-IP $remote_addr;', 'proxy_set_header Connection "";']));
  assert.deepEqual(run(fixed), []);
});

test('a one-line location gets the directives inside its braces', () => {
  const files = { '/n/nginx.conf': 'events {}\nhttp {\n    upstream app { server 127.0.0.1:3000; keepalive 4; }\n    server { location / { proxy_pass http://app; } }\n}\n' };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/keepalive-needs-http11 warning /n/nginx.conf:3:37-3:47']);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/nginx.conf'].split('\n')[3], '    server { location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } }');
  assert.deepEqual(run(fixed), []);
});

test('nginx 1.29.7 and later keep alive by default: only an explicit HTTP/1.0 is flagged, and changed in place', () => {
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['proxy_pass http://app;']) }, '1.29.7'), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['proxy_pass http://app;', 'proxy_set_header Host $host;']) }, '1.31.4'), []);
  assert.equal(run({ '/n/nginx.conf': mainConfig(['proxy_pass http://app;']) }, '1.29.6').length, 1);

  const files = { '/n/nginx.conf': mainConfig(['proxy_pass http://app;', 'proxy_http_version 1.0;']) };
  const findings = run(files, '1.29.7');
  assert.deepEqual(findings.map(brief), ['nginx/keepalive-needs-http11 warning /n/nginx.conf:9:23-9:33']);
  assert.match(findings[0].message, /this proxy_pass speaks HTTP\/1\.0: .* Set proxy_http_version 1\.1 \(nginx 1\.29\.7 assumed\)\.$/);
  assert.deepEqual(findings[0].related?.[1], { file: '/n/nginx.conf', range: at(10, 12, 35), message: 'HTTP/1.0 is set here' });
  assert.deepEqual(findings[0].fixes?.[0].edits, [{ file: '/n/nginx.conf', range: at(10, 31, 34), newText: '1.1' }]);
  assert.deepEqual(run(applyFix(files, findings[0].fixes![0]), '1.29.7'), []);
});

test('an HTTP/1.0 set in the server is overridden in the location, not duplicated', () => {
  const files = { '/n/nginx.conf': mainConfig(['proxy_pass http://app;', 'proxy_set_header Connection "";'], ['proxy_http_version 1.0;']) };
  const findings = run(files);
  assert.deepEqual(findings[0].fixes?.[0].edits, [{ file: '/n/nginx.conf', range: at(10, 34), newText: '\n            proxy_http_version 1.1;' }]);
  assert.deepEqual(run(applyFix(files, findings[0].fixes![0])), []);
});

test('near misses stay silent', () => {
  const silent = (files: Record<string, string>) => assert.deepEqual(run(files), []);
  // Both set where the location inherits them, or in the location itself.
  silent({ '/n/nginx.conf': mainConfig(['proxy_pass http://app;'], [], ['proxy_http_version 1.1;', 'proxy_set_header Connection "";']) });
  silent({ '/n/nginx.conf': mainConfig(['proxy_pass http://app;', 'proxy_http_version 1.1;', 'proxy_set_header Connection "";']) });
  // WebSockets: an explicit Connection value is deliberate.
  silent({ '/n/nginx.conf': mainConfig(['proxy_pass http://app;', 'proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $http_connection;']) });
  // Not this upstream: a port makes it a host name; fastcgi keeps connections with fastcgi_keep_conn.
  silent({ '/n/nginx.conf': mainConfig(['proxy_pass http://app:3000;']) });
  silent({ '/n/nginx.conf': mainConfig(['fastcgi_pass app;']) });
  // Settings that may come from a file the workspace does not hold.
  silent({ '/n/nginx.conf': mainConfig(['proxy_pass http://app;', 'include /etc/nginx/snippets/proxy-*.conf;']) });
  silent({ '/n/sites-available/app.conf': 'upstream app { server 127.0.0.1:3000; keepalive 8; }\nserver {\n    location / { proxy_pass http://app; }\n}\n' });
  // No keepalive upstream.
  silent({ '/n/nginx.conf': 'events {}\nhttp {\n    upstream app { server 127.0.0.1:3000; }\n    server { location / { proxy_pass http://app; } }\n}\n' });
});

test('a site without its nginx.conf: Debian\'s proxy_params is known to set headers without Connection', () => {
  const files = { '/n/sites-available/app.conf': 'upstream app { server 127.0.0.1:3000; keepalive 8; }\nserver {\n    location / {\n        proxy_pass http://app;\n        include proxy_params;\n    }\n}\n' };
  const findings = run(files);
  // proxy_http_version may still come from the unseen nginx.conf: only Connection is certain.
  assert.deepEqual(findings.map(brief), ['nginx/keepalive-needs-http11 warning /n/sites-available/app.conf:3:19-3:29']);
  assert.match(findings[0].message, /this proxy_pass sends "Connection: close"/);
  assert.deepEqual(findings[0].fixes?.[0].edits, [{ file: '/n/sites-available/app.conf', range: at(3, 30), newText: '\n        proxy_set_header Connection "";' }]);
  assert.deepEqual(run(applyFix(files, findings[0].fixes![0])), []);
});

test('an unreadable include hides only what it may set there: Debian\'s modules-enabled in main hides no http setting', () => {
  const debianLike = `include /etc/nginx/modules-enabled/*.conf;\n${mainConfig(['proxy_pass http://app;'])}`;
  assert.deepEqual(run({ '/n/nginx.conf': debianLike }).map(brief), ['nginx/keepalive-needs-http11 warning /n/nginx.conf:10:23-10:33']);
  const confD = mainConfig(['proxy_pass http://app;'], [], ['include /etc/nginx/conf.d/*.conf;']);
  assert.deepEqual(run({ '/n/nginx.conf': confD }), []);
});

test('proxy_pass inside if: flagged, but no fix, as neither directive is allowed there', () => {
  const findings = run({ '/n/nginx.conf': mainConfig(['if ($request_method = POST) { proxy_pass http://app; }']) });
  assert.equal(findings.length, 1);
  assert.equal(findings[0].fixes, undefined);
});
