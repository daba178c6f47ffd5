import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/proxy-pass-localhost';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const lint = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });
const site = (body: string) => ({ '/n/nginx.conf': 'events {}\nhttp {\n    include site.conf;\n}\n', '/n/site.conf': body });

test('proxy_pass to localhost: warning on the host, 127.0.0.1 preferred, [::1] offered, both silence the rule', () => {
  const files = site('server {\n    location / {\n        proxy_pass http://localhost:3000/app;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/proxy-pass-localhost warning /n/site.conf:2:26-2:35']);
  assert.equal(
    findings[0].message,
    '"localhost" gives proxy_pass two addresses, ::1 and 127.0.0.1: the one the backend does not listen on fails with "connect() failed (111: Connection refused)", and after a short backend outage nginx answers 502 ("no live upstreams") for up to 10 s. Use 127.0.0.1, or [::1] for a backend that listens on IPv6 only.',
  );
  const at = { start: { line: 2, character: 26 }, end: { line: 2, character: 35 } };
  assert.deepEqual(findings[0].fixes, [
    { title: 'Use 127.0.0.1', isPreferred: true, edits: [{ file: '/n/site.conf', range: at, newText: '127.0.0.1' }] },
    { title: 'Use [::1]', edits: [{ file: '/n/site.conf', range: at, newText: '[::1]' }] },
  ]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'], 'server {\n    location / {\n        proxy_pass http://127.0.0.1:3000/app;\n    }\n}\n');
  assert.deepEqual(lint(fixed), []);
  assert.equal(applyFix(files, findings[0].fixes![1])['/n/site.conf'].split('\n')[2], '        proxy_pass http://[::1]:3000/app;');
  assert.deepEqual(lint(applyFix(files, findings[0].fixes![1])), []);
});

test('every pass kind and an upstream server; quoted and upper-case spellings', () => {
  const findings = lint(site([
    'upstream app { server localhost:3000 max_fails=2; server 10.0.0.2:3000; }',
    'server {',
    '    location /a { fastcgi_pass localhost:9000; }',
    '    location /b { uwsgi_pass LOCALHOST:8000; }',
    '    location /c { grpc_pass grpc://localhost:50051; }',
    '    location /d { proxy_pass "http://LocalHost"; }',
    '    location /e { proxy_pass $scheme://localhost:8080; }',
    '}',
    '',
  ].join('\n')));
  assert.deepEqual(findings.map(brief), [
    'nginx/proxy-pass-localhost warning /n/site.conf:0:22-0:31',
    'nginx/proxy-pass-localhost warning /n/site.conf:2:31-2:40',
    'nginx/proxy-pass-localhost warning /n/site.conf:3:29-3:38',
    'nginx/proxy-pass-localhost warning /n/site.conf:4:35-4:44',
    'nginx/proxy-pass-localhost warning /n/site.conf:5:37-5:46',
    'nginx/proxy-pass-localhost warning /n/site.conf:6:39-6:48',
  ]);
  assert.match(findings[0].message, /^"localhost" gives this upstream server two addresses/);
  assert.match(findings[1].message, /^"localhost" gives fastcgi_pass two addresses/);
});

test('near misses: addresses, longer names, sockets, paths and an upstream named localhost stay silent', () => {
  assert.deepEqual(lint(site([
    'upstream localhost { server 127.0.0.1:3000; }',
    'upstream v6 { server [::1]:3000; server unix:/run/localhost.sock; }',
    'server {',
    '    location /a { proxy_pass http://127.0.0.1:3000; }',
    '    location /b { proxy_pass http://[::1]:3000; }',
    '    location /c { proxy_pass http://localhost.example.com; }',
    '    location /d { proxy_pass http://mylocalhost:3000; }',
    '    location /e { proxy_pass http://127.0.0.1:3000/localhost; }',
    '    location /f { fastcgi_pass unix:/run/php/localhost.sock; }',
    '    location /g { proxy_pass http://localhost; }',
    '    location /h { proxy_pass http://v6; }',
    '}',
    '',
  ].join('\n'))), []);
});
