import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/upstream-ssl-sni';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const lint = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });
const site = (body: string, http = '') => ({ '/n/nginx.conf': `events {}\nhttp {\n${http}    include site.conf;\n}\n`, '/n/site.conf': body });
const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

test('https to a host name without SNI: warning on the host, the fix adds proxy_ssl_server_name on below proxy_pass', () => {
  const files = site('server {\n    location / {\n        proxy_pass https://origin.example.com/;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-ssl-sni warning /n/site.conf:2:27-2:45']);
  assert.equal(
    findings[0].message,
    'nginx sends no SNI to origin.example.com: "proxy_ssl_server_name" is off, and a server that picks its certificate by name (Cloudflare, CDNs, shared hosting) refuses the TLS handshake (nginx logs "SSL_do_handshake() failed" with "sslv3 alert handshake failure" or "tlsv1 unrecognized name"), so nginx answers 502. Add "proxy_ssl_server_name on;".',
  );
  assert.deepEqual(findings[0].fixes, [{
    title: 'Add "proxy_ssl_server_name on;"',
    isPreferred: true,
    edits: [{ file: '/n/site.conf', range: range(2, 47, 47), newText: '\n        proxy_ssl_server_name on;' }],
  }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'], 'server {\n    location / {\n        proxy_pass https://origin.example.com/;\n        proxy_ssl_server_name on;\n    }\n}\n');
  assert.deepEqual(lint(fixed), []);
});

test('an explicit "off" in the same block is turned on rather than duplicated; grpcs uses grpc_ssl_server_name', () => {
  const files = site([
    'server {',
    '    location /a { proxy_ssl_server_name off; proxy_pass https://api.example.com$request_uri; }',
    '    location /b { grpc_pass grpcs://grpc.example.com:443; }',
    '}',
    '',
  ].join('\n'));
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), [
    'nginx/upstream-ssl-sni warning /n/site.conf:1:64-1:79',
    'nginx/upstream-ssl-sni warning /n/site.conf:2:36-2:52',
  ]);
  assert.deepEqual(findings[0].fixes![0].edits, [{ file: '/n/site.conf', range: range(1, 40, 43), newText: 'on' }]);
  assert.deepEqual(findings[1].fixes![0].edits, [{ file: '/n/site.conf', range: range(2, 57, 57), newText: ' grpc_ssl_server_name on;' }]);
  assert.deepEqual(lint(applyFix(applyFix(files, findings[0].fixes![0]), findings[1].fixes![0])), []);
});

test('an upstream of host names: nginx would send the upstream name, so the fix also sets proxy_ssl_name', () => {
  const files = site('upstream cdn { server edge.example.net:443; }\nserver {\n    location / {\n        proxy_pass https://cdn;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-ssl-sni warning /n/site.conf:3:27-3:30']);
  assert.match(findings[0].message, /^nginx sends no SNI to the servers of upstream "cdn" \(edge\.example\.net\): .* With it on, nginx sends the upstream's name "cdn"; set "proxy_ssl_name" to the server's host name too\.$/);
  assert.deepEqual(findings[0].related, [{ file: '/n/site.conf', range: range(0, 9, 12), message: 'upstream "cdn" is defined here' }]);
  assert.deepEqual(findings[0].fixes, [{
    title: 'Add "proxy_ssl_server_name on;" and "proxy_ssl_name edge.example.net;"',
    isPreferred: true,
    edits: [{ file: '/n/site.conf', range: range(3, 31, 31), newText: '\n        proxy_ssl_server_name on;\n        proxy_ssl_name edge.example.net;' }],
  }]);
  assert.deepEqual(lint(applyFix(files, findings[0].fixes![0])), []);
});

test('an upstream named after its host needs only "on"; several host names get no guessed proxy_ssl_name', () => {
  const findings = lint(site([
    'upstream api.example.com { server api.example.com:443; }',
    'upstream mixed { server a.example.com:443; server b.example.org:443; }',
    'server {',
    '    location /a { proxy_pass https://api.example.com; }',
    '    location /b { proxy_pass https://mixed; }',
    '}',
    '',
  ].join('\n')));
  assert.deepEqual(findings.map(brief), ['nginx/upstream-ssl-sni warning /n/site.conf:3:37-3:52', 'nginx/upstream-ssl-sni warning /n/site.conf:4:37-4:42']);
  assert.equal(findings[0].fixes![0].title, 'Add "proxy_ssl_server_name on;"');
  assert.equal(findings[1].fixes, undefined);
});

test('near misses: SNI on where it is inherited, addresses, internal names, plain http, per-request hosts', () => {
  // http turns SNI on for the first server; the second turns it off again, but names nothing that needs it.
  assert.deepEqual(lint(site([
    'upstream ips { server 203.0.113.5:443; }',
    'upstream named { server api.example.com:443; }',
    'server {',
    '    location /a { proxy_pass https://api.example.com; }',
    '    location /b { proxy_pass https://named; }',
    '}',
    'server {',
    '    proxy_ssl_server_name off;',
    '    location /c { proxy_pass https://203.0.113.5; }',
    '    location /d { proxy_pass https://backend-internal:8443; }',
    '    location /e { proxy_pass http://api.example.com; }',
    '    location /f { proxy_pass https://$host; }',
    '    location /g { proxy_pass https://ips; }',
    '    location /h { proxy_pass https://unix:/run/app.sock; }',
    '}',
    '',
  ].join('\n'), '    proxy_ssl_server_name on;\n')), []);
  // A site whose main config is not in the workspace may get "on" from there.
  assert.deepEqual(lint({ '/n/sites-enabled/app': 'server { location / { proxy_pass https://api.example.com; } }\n' }), []);
});
