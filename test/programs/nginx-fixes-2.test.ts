import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Finding } from '../../server/src/core/findings';
import type { Rule } from '../../server/src/core/rule';
import { range } from '../../server/src/core/text';
import { gzipToggleActions } from '../../server/src/features/gzip-toggle';
import { parseNginx } from '../../server/src/parsers/nginx/parser';
import { rule as gzipContentLength } from '../../server/src/rules/nginx/gzip-content-length';
import { rule as http2ListenDeprecated } from '../../server/src/rules/nginx/http2-listen-deprecated';
import { rule as keepaliveNeedsHttp11 } from '../../server/src/rules/nginx/keepalive-needs-http11';
import { rule as timeoutBeyondCloudflare } from '../../server/src/rules/nginx/timeout-beyond-cloudflare';
import { rule as workerCapacity } from '../../server/src/rules/nginx/worker-capacity';
import { applyEdits } from '../unit/apply-edits';
import { analyze } from '../unit/engine-harness';
import { parsedFile } from '../unit/rule-harness';
import { applyFix } from '../unit/rules/nginx/apply-fix';
import { nginxTest, wrapInHttp } from './judges';

/**
 * The quick fixes of the nginx 502 rule pack (part 2), judged by the real `nginx -t` (Debian
 * nginx-light 1.22, which has gzip_static and gunzip). Each config is valid before the fix (the rules
 * flag risks, not errors) and must stay valid after it. Files are keyed relative to nginx's prefix.
 */

const ROOT = '/n/';

/** Applies the first fix of a finding, re-analyses and repeats until the rule has nothing left to fix. */
function fixAll(rule: Rule, files: Record<string, string>, settings: unknown = {}): { files: Record<string, string>; fixed: number; left: Finding[] } {
  let current = Object.fromEntries(Object.entries(files).map(([path, text]) => [ROOT + path, text]));
  let fixed = 0;
  for (;;) {
    const findings = analyze(current, settings, { rules: [rule] });
    const next = findings.find((f) => f.fixes?.length);
    if (!next || fixed === 10) return { files: Object.fromEntries(Object.entries(current).map(([p, t]) => [p.slice(ROOT.length), t])), fixed, left: findings };
    current = applyFix(current, next.fixes![0]);
    fixed++;
  }
}

function assertValid(files: Record<string, string>, main = 'nginx.conf'): void {
  const verdict = nginxTest(files, main);
  assert.ok(verdict.ok, verdict.output);
}

/** Fixes `files` with `rule`, then checks: nginx -t accepted them before and accepts them after; the rule is silent. */
function assertFixStaysValid(rule: Rule, files: Record<string, string>, settings: unknown = {}, judgeAlso: Record<string, string> = {}): Record<string, string> {
  assertValid({ ...files, ...judgeAlso });
  const result = fixAll(rule, files, settings);
  assert.ok(result.fixed > 0, 'the rule offered a fix');
  assert.deepEqual(result.left, []);
  assertValid({ ...result.files, ...judgeAlso });
  return result.files;
}

const KEEPALIVE_UPSTREAM = 'upstream app {\n    server 127.0.0.1:3000;\n    keepalive 16;\n}\n';

test('keepalive-needs-http11: both directives after proxy_pass, Connection at the level it is inherited from, 1.0 changed in place', () => {
  assertFixStaysValid(keepaliveNeedsHttp11, wrapInHttp(`${KEEPALIVE_UPSTREAM}server {\n    listen 8080;\n    location / {\n        proxy_pass http://app;\n    }\n}\n`));
  assertFixStaysValid(keepaliveNeedsHttp11, wrapInHttp(`${KEEPALIVE_UPSTREAM}server {\n    listen 8080;\n    proxy_set_header Host $host;\n    location / { proxy_pass http://app; }\n}\n`));
  assertFixStaysValid(keepaliveNeedsHttp11, wrapInHttp(`${KEEPALIVE_UPSTREAM}server {\n    listen 8080;\n    location / {\n        proxy_pass http://app;\n        proxy_http_version 1.0;\n    }\n}\n`), { nginx: { version: '1.29.7' } });
});

test('keepalive-needs-http11: a site without its nginx.conf, using the package\'s proxy_params', () => {
  const site = `${KEEPALIVE_UPSTREAM}server {\n    listen 8080;\n    location / {\n        proxy_pass http://app;\n        include proxy_params;\n    }\n}\n`;
  // Analysed alone, as a repository of sites would be; judged inside a main config with a proxy_params.
  const judgeAlso = { 'nginx.conf': 'events {}\nhttp {\n    include sites-enabled/*;\n}\n', proxy_params: 'proxy_set_header Host $host;\nproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n' };
  const fixed = assertFixStaysValid(keepaliveNeedsHttp11, { 'sites-enabled/app': site }, {}, judgeAlso);
  assert.match(fixed['sites-enabled/app'], /include proxy_params;/);
});

test('timeout-beyond-cloudflare: the lowered timeout', () => {
  assertFixStaysValid(timeoutBeyondCloudflare, wrapInHttp('server {\n    listen 8080;\n    proxy_read_timeout 300s;\n    location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; fastcgi_read_timeout 10m; }\n}\n'));
});

test('gzip-content-length: add_header removed, gunzip added or turned on', () => {
  assertFixStaysValid(gzipContentLength, wrapInHttp('gzip on;\nserver {\n    listen 8080;\n    add_header Content-Length 10;\n    location = /x { add_header Content-Length 2; return 200 "ok"; }\n}\n'));
  assertFixStaysValid(gzipContentLength, wrapInHttp('server {\n    listen 8080;\n    location /assets/ {\n        gzip_static always;\n    }\n}\n'));
  assertFixStaysValid(gzipContentLength, wrapInHttp('gunzip off;\nserver {\n    listen 8080;\n    gzip_static always;\n    location / { gunzip off; }\n}\n'));
});

test('worker-capacity: connections, file limit and workers raised', () => {
  const fixed = assertFixStaysValid(workerCapacity, { 'nginx.conf': 'worker_processes 1;\nworker_rlimit_nofile 256;\nevents {\n    worker_connections 384;\n}\nhttp {}\n' });
  assert.equal(fixed['nginx.conf'], 'worker_processes auto;\nworker_rlimit_nofile 2048;\nevents {\n    worker_connections 1024;\n}\nhttp {}\n');
});

test('http2-listen-deprecated: nginx 1.22 cannot judge the fix, as "http2 on;" arrived in 1.25.1, which is why the rule is silent for it', () => {
  const files = wrapInHttp('server {\n    listen 8443 http2;\n    listen 8444 http2;\n}\n');
  assertValid(files);
  assert.deepEqual(fixAll(http2ListenDeprecated, files).fixed, 0, 'silent for the default version, 1.22.1');
  const result = fixAll(http2ListenDeprecated, files, { nginx: { version: '1.25.1' } });
  assert.equal(result.files['site.conf'], 'server {\n    listen 8443;\n    http2 on;\n    listen 8444;\n}\n');
  const verdict = nginxTest(result.files, 'nginx.conf');
  assert.ok(!verdict.ok && verdict.output.includes('unknown directive "http2"'), verdict.output);
});

test('gzip toggle: the commented-out config and the restored one both load', () => {
  const files = wrapInHttp('gzip on;\ngzip_types text/css;\nserver { listen 8080; }\n');
  const at = range(0, 0, 0, 0);
  const commentOut = gzipToggleActions(parsedFile('site.conf', files['site.conf'], parseNginx), at);
  const commented = { ...files, 'site.conf': applyEdits(files['site.conf'], commentOut[0].edits) };
  assertValid(commented);
  const restore = gzipToggleActions(parsedFile('site.conf', commented['site.conf'], parseNginx), at);
  const restored = { ...files, 'site.conf': applyEdits(commented['site.conf'], restore[0].edits) };
  assert.deepEqual(restored, files);
  assertValid(restored);
});
