import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/http2-listen-deprecated';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const run = (files: Record<string, string>, version = '1.25.1') => analyze(files, { nginx: { version } }, { rules: [rule] });

const server = (lines: string[]) => `server {\n${lines.map((l) => `    ${l}\n`).join('')}}\n`;

const at = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

test('two listens with http2 (nginx 1.25.1): a hint on each parameter, one fix that adds http2 on once', () => {
  const files = { '/n/site.conf': server(['listen 443 ssl http2;', 'listen [::]:443 ssl http2;', 'server_name a.example;']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), [
    'nginx/http2-listen-deprecated hint /n/site.conf:1:19-1:24',
    'nginx/http2-listen-deprecated hint /n/site.conf:2:24-2:29',
  ]);
  assert.equal(findings[0].message, '"listen … http2" is deprecated since nginx 1.25.1 (nginx 1.25.1 assumed): every reload warns about it. Remove "http2" here and put "http2 on;" in the server block.');
  const fix = {
    title: 'Replace "listen … http2" with "http2 on;"',
    isPreferred: true,
    edits: [
      { file: '/n/site.conf', range: at(1, 18, 24), newText: '' },
      { file: '/n/site.conf', range: at(2, 23, 29), newText: '' },
      { file: '/n/site.conf', range: at(1, 25, 25), newText: '\n    http2 on;' },
    ],
  };
  assert.deepEqual(findings.map((f) => f.fixes), [[fix], [fix]]);
  const fixed = applyFix(files, fix);
  assert.equal(fixed['/n/site.conf'], server(['listen 443 ssl;', 'http2 on;', 'listen [::]:443 ssl;', 'server_name a.example;']));
  assert.deepEqual(run(fixed), []);
});

test('a parameter after http2 and a one-line server', () => {
  const files = { '/n/site.conf': 'server { listen 8443 http2 default_server; }\n' };
  const findings = run(files, '1.27.4');
  assert.deepEqual(findings.map(brief), ['nginx/http2-listen-deprecated hint /n/site.conf:0:21-0:26']);
  assert.match(findings[0].message, /\(nginx 1\.27\.4 assumed\)/);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'], 'server { listen 8443 default_server; http2 on; }\n');
  assert.deepEqual(run(fixed), []);
});

test('http2 already set: on at the server or from http is kept, off at the server is turned on', () => {
  const own = { '/n/site.conf': server(['listen 443 ssl http2;', 'http2 on;']) };
  assert.deepEqual(run(own)[0].fixes?.[0].edits, [{ file: '/n/site.conf', range: at(1, 18, 24), newText: '' }]);

  const off = { '/n/site.conf': server(['listen 443 ssl http2;', 'http2 off;']) };
  const offFix = run(off)[0].fixes![0];
  assert.deepEqual(offFix.edits[1], { file: '/n/site.conf', range: at(2, 10, 13), newText: 'on' });
  assert.deepEqual(run(applyFix(off, offFix)), []);

  const inherited = { '/n/nginx.conf': 'events {}\nhttp {\n    http2 on;\n    server {\n        listen 443 ssl http2;\n    }\n}\n' };
  assert.deepEqual(run(inherited)[0].fixes?.[0].edits, [{ file: '/n/nginx.conf', range: at(4, 22, 28), newText: '' }]);
});

test('before 1.25.1 the parameter is the only way: silent, as for listens without it', () => {
  const files = { '/n/site.conf': server(['listen 443 ssl http2;']) };
  assert.deepEqual(run(files, '1.25.0'), []);
  assert.deepEqual(analyze(files, {}, { rules: [rule] }), [], 'the default version, 1.22.1');
  assert.deepEqual(run({ '/n/site.conf': server(['listen 443 ssl;', 'listen 443 quic reuseport;', 'http2 on;']) }), []);
});

test('an http2 line without its value (a missing ";" cut it short) is given "on" (found by the engine fuzz)', () => {
  const files = { '/n/site.conf': server(['listen 443 ssl http2;', 'http2', 'location / {', '}']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/http2-listen-deprecated hint /n/site.conf:1:19-1:24']);
  assert.deepEqual(findings[0].fixes?.[0].edits[1], { file: '/n/site.conf', range: at(2, 9, 9), newText: ' on' });
  assert.equal(applyFix(files, findings[0].fixes![0])['/n/site.conf'], server(['listen 443 ssl;', 'http2 on', 'location / {', '}']));
});
