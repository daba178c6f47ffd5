import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { probeTargets } from '../../../server/src/features/probe-targets';
import { workspace } from '../engine-harness';

test('probe targets: tunnel hostnames and services, server names per listen, proxy_pass targets; each URL once', () => {
  const { engine } = workspace({
    '/o/nginx/nginx.conf': [
      'events {}',
      'http {',
      '    upstream api { server 127.0.0.1:3000; server 10.0.0.2:3001 backup; server unix:/run/api.sock; }',
      '    server {',
      '        listen 80;',
      '        listen 443 ssl;',
      '        server_name shop.example.com *.shop.example.com ~^www\\d+$ _;',
      '        location /api/ { proxy_pass http://api; }',
      '        location /app/ { proxy_pass http://127.0.0.1:8080/app/; }',
      '        location /v/ { proxy_pass http://$backend; }',
      '        location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; }',
      '    }',
      '    server { server_name admin.example.com; }',
      '}',
      '',
    ].join('\n'),
    '/o/cloudflared/config.yml': [
      'tunnel: t',
      'ingress:',
      '  - hostname: shop.example.com',
      '    service: https://127.0.0.1:443',
      '  - hostname: "*.example.com"',
      '    service: http://127.0.0.1:80',
      '  - service: http_status:404',
      '',
    ].join('\n'),
  });
  const targets = probeTargets(engine.analyze().model);
  assert.deepEqual(targets, [
    { label: 'shop.example.com', url: 'https://shop.example.com/', detail: 'tunnel hostname → https://127.0.0.1:443 (cloudflared/config.yml:3)' },
    { label: '127.0.0.1', url: 'https://127.0.0.1/', detail: 'tunnel service of shop.example.com: what cloudflared connects to (cloudflared/config.yml:3)' },
    { label: '127.0.0.1', url: 'http://127.0.0.1/', detail: 'tunnel service of *.example.com: what cloudflared connects to (cloudflared/config.yml:5)' },
    { label: 'shop.example.com', url: 'http://shop.example.com/', detail: 'nginx server_name, listen 80 (nginx/nginx.conf:4)' },
    { label: 'admin.example.com', url: 'http://admin.example.com/', detail: 'nginx server_name, listen 80 (nginx/nginx.conf:13)' },
    { label: '127.0.0.1:3000', url: 'http://127.0.0.1:3000/', detail: 'server of upstream api, proxy_pass (nginx/nginx.conf:8)' },
    { label: '10.0.0.2:3001', url: 'http://10.0.0.2:3001/', detail: 'server of upstream api, proxy_pass (nginx/nginx.conf:8)' },
    { label: '127.0.0.1:8080', url: 'http://127.0.0.1:8080/', detail: 'proxy_pass target (nginx/nginx.conf:9)' },
  ]);
});

test('probe targets: an empty workspace offers none', () => {
  assert.deepEqual(probeTargets(workspace({}).engine.analyze().model), []);
});
