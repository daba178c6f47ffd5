import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { hoverAt } from '../../../server/src/features/hover';
import { workspace } from '../engine-harness';

const { engine } = workspace({
  '/o/nginx/nginx.conf': 'events {}\nhttp {\n    server {\n        location / { proxy_pass http://127.0.0.1:3000; }\n    }\n}\n',
  '/o/php/pool.d/www.conf': '[www]\nlisten = /run/php/www.sock\npm.max_children = 5\n',
  '/o/cloudflared/config.yml': 'tunnel: t\ningress:\n  - service: http://127.0.0.1:80\n    originRequest:\n      connectTimeout: 30s\n',
});

test('nginx: the directive under the cursor, with syntax, default and context from nginx docs', () => {
  const markdown = hoverAt(engine, '/o/nginx/nginx.conf', { line: 3, character: 22 })!;
  assert.match(markdown, /^\*\*proxy_pass\*\* — ngx_http_proxy_module/);
  assert.match(markdown, /Context: `location`, `if in location`, `limit_except`/);
  assert.equal(hoverAt(engine, '/o/nginx/nginx.conf', { line: 3, character: 40 }), '→ nothing in this workspace listens on 127.0.0.1:3000', 'a target says where it leads');
});

test('php-fpm: the key under the cursor with its default and section', () => {
  const markdown = hoverAt(engine, '/o/php/pool.d/www.conf', { line: 2, character: 3 })!;
  assert.match(markdown, /^\*\*pm\.max_children\*\* \(PHP-FPM\)/);
  assert.match(markdown, /Section: a pool/);
});

test('cloudflared: top-level, rule and originRequest keys', () => {
  assert.match(hoverAt(engine, '/o/cloudflared/config.yml', { line: 0, character: 2 })!, /^\*\*tunnel\*\* \(cloudflared top-level\)/);
  assert.match(hoverAt(engine, '/o/cloudflared/config.yml', { line: 2, character: 5 })!, /^\*\*service\*\* \(cloudflared ingress-rule\)/);
  assert.match(hoverAt(engine, '/o/cloudflared/config.yml', { line: 4, character: 8 })!, /^\*\*connectTimeout\*\* \(cloudflared originRequest\)/);
});
