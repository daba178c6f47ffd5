import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Rule } from '../../server/src/core/rule';
import { rule as localhost } from '../../server/src/rules/nginx/proxy-pass-localhost';
import { rule as bufferTooSmall } from '../../server/src/rules/nginx/upstream-buffer-too-small';
import { rule as resolverMissing } from '../../server/src/rules/nginx/resolver-missing';
import { rule as sni } from '../../server/src/rules/nginx/upstream-ssl-sni';
import { rule as schemePort } from '../../server/src/rules/nginx/scheme-port-mismatch';
import { rule as upstreamUndefined } from '../../server/src/rules/nginx/upstream-undefined';
import { analyze } from '../unit/engine-harness';
import { applyFix } from '../unit/rules/nginx/apply-fix';
import { nginxTest, wrapInHttp } from './judges';

/**
 * The quick fixes of the first part of the nginx 502 pack, judged by the real `nginx -t` (Debian's
 * 1.22, modules of nginx-light only): a config a rule flags for what happens at runtime must load as
 * it is, one it flags for what nginx -t refuses must be refused with nginx's words, and every fix must
 * leave a config that loads. The machine has no DNS, so host names appear only where nginx -t does not
 * resolve them (upstream names, targets with variables, or where the failure to resolve is the point).
 */

/** In-memory workspace paths for the files nginx -t gets under its prefix. */
const ROOT = '/n/';

function inWorkspace(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [ROOT + path, text]));
}

function onDisk(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [path.slice(ROOT.length), text]));
}

function assertLoads(files: Record<string, string>): void {
  const verdict = nginxTest(onDisk(files), 'nginx.conf');
  assert.ok(verdict.ok, `nginx -t refused:\n${verdict.output}\n${files[`${ROOT}site.conf`]}`);
}

function assertRefused(files: Record<string, string>, message: string): void {
  const verdict = nginxTest(onDisk(files), 'nginx.conf');
  assert.ok(!verdict.ok, `nginx -t accepted:\n${files[`${ROOT}site.conf`]}`);
  assert.ok(verdict.output.includes(message), `nginx -t said:\n${verdict.output}\nnot: ${message}`);
}

/** The site wrapped in a main config, with what `rule` finds there; every finding must offer a fix. */
function flagged(rule: Rule, site: string) {
  const files = inWorkspace(wrapInHttp(site));
  const findings = analyze(files, {}, { rules: [rule] });
  assert.ok(findings.length > 0, `${rule.id} found nothing`);
  for (const finding of findings) assert.ok(finding.fixes?.length, `${rule.id}: no fix for "${finding.message}"`);
  return { files, findings };
}

/**
 * Applies the rule's fix number `index` (or a finding's only one) to its first finding, lints again, and
 * so on until the rule is silent: the fixed config the rule leaves.
 */
function fixedBy(rule: Rule, files: Record<string, string>, index = 0): Record<string, string> {
  let current = files;
  for (let round = 0; round < 20; round++) {
    const [first] = analyze(current, {}, { rules: [rule] });
    if (!first) return current;
    assert.ok(first.fixes?.length, `${rule.id}: no fix for "${first.message}"`);
    current = applyFix(current, first.fixes[Math.min(index, first.fixes.length - 1)]);
  }
  throw new Error(`${rule.id} is not silent after its fixes`);
}

test('proxy-pass-localhost: the flagged config loads, and so does each of its two fixes', () => {
  const { files, findings } = flagged(localhost, [
    'upstream app { server localhost:3001; }',
    'server {',
    '    listen 8080;',
    '    location / { proxy_pass http://localhost:3000; }',
    '    location /app { proxy_pass http://app; }',
    '    location ~ \\.php$ { fastcgi_pass localhost:9000; }',
    '    location /grpc { grpc_pass grpc://localhost:50051; }',
    '}',
    '',
  ].join('\n'));
  assert.equal(findings.length, 4);
  assertLoads(files);
  assertLoads(fixedBy(localhost, files, 0));
  assertLoads(fixedBy(localhost, files, 1));
});

test('upstream-buffer-too-small: small and default buffers load, and so do the fixes that raise them', () => {
  const { files, findings } = flagged(bufferTooSmall, [
    'server {',
    '    listen 8080;',
    '    location / {',
    '        proxy_buffer_size 4k;',
    '        proxy_busy_buffers_size 8k;',
    '        proxy_pass http://127.0.0.1:3000;',
    '    }',
    '    location ~ \\.php$ { fastcgi_pass unix:/run/php/php8.2-fpm.sock; }',
    '    location /uwsgi { uwsgi_buffer_size 2k; uwsgi_pass 127.0.0.1:8000; }',
    '    location /grpc { grpc_buffer_size 1k; grpc_pass grpc://127.0.0.1:50051; }',
    '}',
    '',
  ].join('\n'));
  assert.deepEqual(findings.map((f) => f.severity), ['warning', 'hint', 'warning', 'warning']);
  assertLoads(files);
  assertLoads(fixedBy(bufferTooSmall, files));
});

test('upstream-buffer-too-small: each size nginx refuses is refused with the words the rule quotes, and the fix loads', () => {
  const cases = [
    '    location / { fastcgi_buffer_size 32k; fastcgi_pass 127.0.0.1:9000; }',
    '    location / { proxy_buffer_size 16k; proxy_buffers 8 16k; proxy_busy_buffers_size 8k; proxy_pass http://127.0.0.1:3000; }',
    '    location / { uwsgi_buffers 1 8k; uwsgi_pass 127.0.0.1:8000; }',
    '    location / { proxy_busy_buffers_size 64k; proxy_pass http://127.0.0.1:3000; }',
  ];
  for (const location of cases) {
    const { files, findings } = flagged(bufferTooSmall, `server {\n    listen 8080;\n${location}\n}\n`);
    assert.deepEqual(findings.map((f) => f.severity), ['error'], location);
    const quoted = /^nginx -t fails: (.*?)(?: \([^)]*\))?\. The configuration/.exec(findings[0].message)![1];
    assertRefused(files, quoted);
    assertLoads(fixedBy(bufferTooSmall, files));
  }
});

test('upstream-buffer-too-small: a size set in http fails in the servers that inherit it; the fix in http loads', () => {
  const files = inWorkspace({
    'nginx.conf': 'events {}\nhttp {\n    proxy_buffer_size 64k;\n    include site.conf;\n}\n',
    'site.conf': 'server {\n    listen 8080;\n    location / { proxy_pass http://127.0.0.1:3000; }\n}\n',
  });
  const findings = analyze(files, {}, { rules: [bufferTooSmall] });
  assert.equal(findings.length, 1);
  assertRefused(files, '"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer');
  assertLoads(fixedBy(bufferTooSmall, files));
});

test('resolver-missing: per-request host names load without a resolver (they fail at runtime); the fix loads', () => {
  const { files, findings } = flagged(resolverMissing, [
    'map $uri $backend { default app; ~^/api api.example.com; }',
    'upstream app { server 127.0.0.1:3000; }',
    'server {',
    '    listen 8080;',
    '    location / { proxy_pass http://$backend; }',
    '    location /cdn { proxy_pass https://cdn.example.com$request_uri; }',
    '    location /any { proxy_pass http://$host; }',
    '}',
    '',
  ].join('\n'));
  assert.equal(findings.length, 3);
  assertLoads(files);
  assertLoads(fixedBy(resolverMissing, files));
});

test('upstream-ssl-sni: https without SNI loads; with proxy_ssl_server_name on (added, or turned from off) it still loads', () => {
  // An upstream of host names would need DNS at nginx -t; the per-request form is judged instead.
  const { files, findings } = flagged(sni, [
    'server {',
    '    listen 8080;',
    '    resolver 127.0.0.53;',
    '    location / { proxy_pass https://origin.example.com$request_uri; }',
    '    location /off {',
    '        proxy_ssl_server_name off;',
    '        proxy_pass https://api.example.com$request_uri;',
    '    }',
    '    location /grpc { set $grpc_port 443; grpc_pass grpcs://grpc.example.com:$grpc_port; }',
    '}',
    '',
  ].join('\n'));
  assert.equal(findings.length, 3);
  assertLoads(files);
  assertLoads(fixedBy(sni, files));
});

test('scheme-port-mismatch: the mismatches load (they fail at runtime); swapping the scheme or adding :443 loads', () => {
  const { files, findings } = flagged(schemePort, [
    'upstream tls { server 10.0.0.5; server 10.0.0.6 backup; }',
    'server {',
    '    listen 8080;',
    '    location /a { proxy_pass https://10.0.0.2:80; }',
    '    location /b { proxy_pass http://10.0.0.2:443/; }',
    '    location /c { grpc_pass grpcs://10.0.0.3:80; }',
    '    location /d { proxy_pass https://tls; }',
    '}',
    '',
  ].join('\n'));
  assert.equal(findings.length, 4);
  assertLoads(files);
  assertLoads(fixedBy(schemePort, files, 0));
  assertLoads(fixedBy(schemePort, files, 1));
});

test('upstream-undefined: nginx -t refuses each target the rule calls an error, and loads the fixed one', () => {
  const cases: Array<[string, string]> = [
    ['    location / { proxy_pass http://bakend/; }', 'host not found in upstream "bakend"'],
    ['    location / { proxy_pass http://backend:8080; }', 'upstream "backend" may not have port 8080'],
    ['    location / { fastcgi_pass backnd; }', 'no port in upstream "backnd"'],
    ['    location / { grpc_pass grpc://Backen; }', 'no port in upstream "Backen"'],
  ];
  for (const [location, refusal] of cases) {
    const { files, findings } = flagged(upstreamUndefined, `upstream backend { server 127.0.0.1:3000; }\nserver {\n    listen 8080;\n${location}\n}\n`);
    assert.deepEqual(findings.map((f) => f.severity), ['error'], location);
    assertRefused(files, refusal);
    assertLoads(fixedBy(upstreamUndefined, files));
  }
});
