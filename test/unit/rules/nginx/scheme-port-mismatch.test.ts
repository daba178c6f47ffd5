import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/scheme-port-mismatch';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const lint = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });
const site = (body: string) => ({ '/n/nginx.conf': 'events {}\nhttp {\n    include site.conf;\n}\n', '/n/site.conf': body });
const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

test('https to port 80: error from the scheme to the port, the fix swaps to http', () => {
  const files = site('server {\n    location / {\n        proxy_pass https://10.0.0.2:80/app/;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/scheme-port-mismatch error /n/site.conf:2:19-2:38']);
  assert.equal(
    findings[0].message,
    'proxy_pass speaks TLS (https://) to port 80: the TLS handshake meets plain HTTP and fails ("SSL_do_handshake() failed … wrong version number"), so nginx answers 502. Use http:// for port 80, or the backend\'s TLS port.',
  );
  assert.deepEqual(findings[0].fixes, [{ title: 'Use http://', isPreferred: true, edits: [{ file: '/n/site.conf', range: range(2, 19, 24), newText: 'http' }] }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'].split('\n')[2], '        proxy_pass http://10.0.0.2:80/app/;');
  assert.deepEqual(lint(fixed), []);
});

test('plain HTTP to port 443: error saying what a TLS server answers, the fix swaps to https; grpcs to 80 too', () => {
  const files = site('server {\n    location /a { proxy_pass "HTTP://app.internal:443"; }\n    location /b { grpc_pass grpcs://10.0.0.3:80; }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/scheme-port-mismatch error /n/site.conf:1:30-1:53', 'nginx/scheme-port-mismatch error /n/site.conf:2:28-2:47']);
  assert.equal(
    findings[0].message,
    'proxy_pass speaks plain HTTP (HTTP://) to port 443: a TLS server there answers 400 "The plain HTTP request was sent to HTTPS port" (nginx) or closes the connection, which nginx answers with 502. Use https:// for port 443.',
  );
  assert.deepEqual(findings[0].fixes![0].edits, [{ file: '/n/site.conf', range: range(1, 30, 34), newText: 'https' }]);
  assert.match(findings[1].message, /^grpc_pass speaks TLS \(grpcs:\/\/\) to port 80: .* Use grpc:\/\/ for port 80/);
  let fixed: Record<string, string> = files;
  for (const finding of findings) fixed = applyFix(fixed, finding.fixes![0]);
  assert.deepEqual(lint(fixed), []);
});

test('https to an upstream whose servers carry no port: port 80 is meant; adding :443 is preferred, swapping offered', () => {
  const files = site('upstream api {\n    server api1.example.com;\n    server 10.0.0.9 backup;\n}\nserver {\n    location / { proxy_pass https://api; }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/scheme-port-mismatch error /n/site.conf:5:28-5:39']);
  assert.match(findings[0].message, /^proxy_pass speaks TLS \(https:\/\/\) to upstream "api", where api1\.example\.com, 10\.0\.0\.9 are on port 80 \(an upstream server without a port means port 80\): the TLS handshake/);
  assert.deepEqual(findings[0].related, [
    { file: '/n/site.conf', range: range(1, 4, 28), message: 'api1.example.com is on port 80' },
    { file: '/n/site.conf', range: range(2, 4, 27), message: '10.0.0.9 is on port 80' },
  ]);
  assert.deepEqual(findings[0].fixes, [
    {
      title: 'Add :443 to the upstream servers',
      isPreferred: true,
      edits: [
        { file: '/n/site.conf', range: range(1, 27, 27), newText: ':443' },
        { file: '/n/site.conf', range: range(2, 19, 19), newText: ':443' },
      ],
    },
    { title: 'Use http://', edits: [{ file: '/n/site.conf', range: range(5, 28, 33), newText: 'http' }] },
  ]);
  for (const fix of findings[0].fixes!) assert.deepEqual(lint(applyFix(files, fix)), []);
});

test('servers on both ports: only the mismatched ones are named, and no fix suits them all', () => {
  const findings = lint(site('upstream mixed { server 10.0.0.1:80; server 10.0.0.2:443; server 10.0.0.3:80 down; }\nserver { location / { proxy_pass https://mixed; } }\n'));
  assert.deepEqual(findings.map(brief), ['nginx/scheme-port-mismatch error /n/site.conf:1:33-1:46']);
  assert.deepEqual(findings[0].related?.map((r) => r.message), ['10.0.0.1:80 is on port 80']);
  assert.equal(findings[0].fixes, undefined);
});

test('near misses: matching schemes and ports, other ports, defaults, down servers, sockets and variables', () => {
  assert.deepEqual(lint(site([
    'upstream plain { server 10.0.0.1; server 10.0.0.2:80; }',
    'upstream tls { server 10.0.0.3:443; server 10.0.0.4:80 down; server unix:/run/tls.sock; }',
    'server {',
    '    location /a { proxy_pass https://10.0.0.2:443; }',
    '    location /b { proxy_pass http://10.0.0.2:80; }',
    '    location /c { proxy_pass https://10.0.0.2:8443; }',
    '    location /d { proxy_pass http://10.0.0.2:8080; }',
    '    location /e { proxy_pass https://api.example.com; }',
    '    location /f { proxy_pass http://plain; }',
    '    location /g { proxy_pass https://tls; }',
    '    location /h { proxy_pass http://unix:/run/app.sock:/443; }',
    '    location /i { proxy_pass https://10.0.0.2:$arg_port; }',
    '    location /j { fastcgi_pass 127.0.0.1:443; }',
    '    location /k { proxy_pass http://10.0.0.2:8080/port/443; }',
    // Not a scheme nginx knows (it refuses the URL prefix), though a name every object has.
    '    location /l { proxy_pass constructor://10.0.0.2:443; }',
    '    location /m { proxy_pass $scheme://10.0.0.2:443; }',
    '}',
    '',
  ].join('\n'))), []);
});
