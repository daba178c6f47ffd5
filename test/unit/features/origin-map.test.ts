import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { originMap, renderOriginMapText } from '../../../server/src/features/origin-map';
import { workspace } from '../engine-harness';

test('the map follows hostname → service → nginx server → location → upstream / pool', () => {
  const { engine } = workspace({
    '/o/cloudflared/config.yml': 'tunnel: t\ningress:\n  - hostname: shop.example.com\n    service: http://localhost:8080\n  - service: http_status:404\n',
    '/o/nginx/nginx.conf': [
      'events {}',
      'http {',
      '    upstream api { server 127.0.0.1:3000; server 127.0.0.1:3001 down; }',
      '    server { listen 8080; server_name other.example.com; }',
      '    server {',
      '        listen 8080;',
      '        server_name shop.example.com;',
      '        location /api/ { proxy_pass http://api; }',
      '        location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; }',
      '    }',
      '    server { listen 9090; location / { proxy_pass http://127.0.0.1:4000; } }',
      '}',
      '',
    ].join('\n'),
    '/o/php/pool.d/www.conf': '[www]\nlisten = 9000\npm = static\npm.max_children = 12\n',
  });
  const text = renderOriginMapText(originMap(engine.analyze().model.origin), (f) => f.slice(3));
  assert.equal(text, [
    'shop.example.com  (cloudflared/config.yml:3)',
    '  → http://localhost:8080  (cloudflared/config.yml:4)',
    '    → server shop.example.com [listen 8080]  (nginx/nginx.conf:5)',
    '      → location /api/  (nginx/nginx.conf:8)',
    '        → proxy_pass → upstream api  (nginx/nginx.conf:3)',
    '          → 127.0.0.1:3000  (nginx/nginx.conf:3)',
    '          → 127.0.0.1:3001 (down)  (nginx/nginx.conf:3)',
    '      → location ~ \\.php$  (nginx/nginx.conf:9)',
    '        → fastcgi_pass 127.0.0.1:9000  (nginx/nginx.conf:9)',
    '          → pool [www] pm static, 12 children  (php/pool.d/www.conf:2)',
    '(every other hostname)  (cloudflared/config.yml:5)',
    '  → http_status:404  (cloudflared/config.yml:5)',
    'server other.example.com [listen 8080]  (nginx/nginx.conf:4)',
    'server (no server_name) [listen 9090]  (nginx/nginx.conf:11)',
    '  → location /  (nginx/nginx.conf:11)',
    '    → proxy_pass http://127.0.0.1:4000  (nginx/nginx.conf:11)',
    '',
  ].join('\n'));
});
