import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePassTarget, fpmListenEndpoint, endpointsMeet, listenerKeys, nginxAddressEndpoint, targetKey, type Endpoint } from '../../../server/src/model/targets';
import { workspace } from '../engine-harness';

test('pass targets: schemes, ports as written, unix sockets, variables', () => {
  assert.deepEqual(parsePassTarget('http://api_backend'), { scheme: 'http', host: 'api_backend', port: undefined, hasVariables: false });
  assert.deepEqual(parsePassTarget('https://10.0.0.2:8443/app/'), { scheme: 'https', host: '10.0.0.2', port: 8443, hasVariables: false });
  assert.deepEqual(parsePassTarget('unix:/run/php/php8.2-fpm.sock'), { scheme: undefined, unixPath: '/run/php/php8.2-fpm.sock', hasVariables: false });
  assert.deepEqual(parsePassTarget('http://unix:/tmp/app.sock:/api/'), { scheme: 'http', unixPath: '/tmp/app.sock', hasVariables: false });
  assert.deepEqual(parsePassTarget('127.0.0.1:9000'), { scheme: undefined, host: '127.0.0.1', port: 9000, hasVariables: false });
  assert.deepEqual(parsePassTarget('http://$backend:8080'), { scheme: 'http', host: '$backend', port: 8080, hasVariables: true });
  assert.deepEqual(parsePassTarget('grpc://[::1]:50051'), { scheme: 'grpc', host: '::1', port: 50051, hasVariables: false });
});

test('listen addresses: php-fpm and nginx spellings meet on the same endpoint', () => {
  const pool = fpmListenEndpoint('9000')!;
  assert.deepEqual(pool, { kind: 'tcp', host: '', port: 9000 });
  assert.ok(endpointsMeet({ kind: 'tcp', host: '127.0.0.1', port: 9000 }, pool));
  assert.ok(endpointsMeet({ kind: 'tcp', host: 'localhost', port: 9000 }, fpmListenEndpoint('127.0.0.1:9000')!));
  assert.ok(!endpointsMeet({ kind: 'tcp', host: '127.0.0.1', port: 9001 }, pool));
  assert.ok(endpointsMeet({ kind: 'unix', path: '/run/php.sock' }, fpmListenEndpoint('/run/php.sock')!));
  assert.deepEqual(nginxAddressEndpoint('443'), { kind: 'tcp', host: '*', port: 443 });
  assert.deepEqual(nginxAddressEndpoint('[::]:80'), { kind: 'tcp', host: '::', port: 80 });
  assert.deepEqual(nginxAddressEndpoint('127.0.0.1'), { kind: 'tcp', host: '127.0.0.1', port: 80 });
});

test('endpoints that meet share a key: the indexes that replace trying every pair miss no pair', () => {
  const endpoints: Endpoint[] = [
    ...['/run/php/app.sock', '/var/run/php/app.sock', '/run//php/./app.sock', '/run/php/php-fpm.sock', '/var/run/php/php-fpm.sock',
      '/run/php/php8.2-fpm.sock', '/var/run/php/php7-fpm.sock', '/run/php/other.sock'].map((path): Endpoint => ({ kind: 'unix', path })),
    ...['', '*', '0.0.0.0', '::', '127.0.0.1', 'localhost', 'LOCALHOST', '::1', '10.0.0.5', 'app.internal'].flatMap((host) =>
      [80, 9000].map((port): Endpoint => ({ kind: 'tcp', host, port }))),
  ];
  let pairs = 0;
  for (const target of endpoints) {
    for (const listener of endpoints) {
      if (!endpointsMeet(target, listener)) continue;
      pairs++;
      assert.ok(listenerKeys(listener).includes(targetKey(target)), `${JSON.stringify(target)} meets ${JSON.stringify(listener)}`);
    }
  }
  // Enough pairs meet for the check to mean something: sockets through /var/run and the Debian link, loopback spellings.
  assert.ok(pairs > 60, `${pairs} pairs`);
});

test('the origin model relates servers, upstreams, passes with inherited settings, pools and tunnel routes', () => {
  const { engine } = workspace({
    '/o/nginx/nginx.conf': [
      'events {}',
      'http {',
      '    proxy_read_timeout 90s;',
      '    upstream api { server 127.0.0.1:3000; server 127.0.0.1:3001 backup; }',
      '    server {',
      '        listen 443 ssl http2;',
      '        server_name shop.example.com www.shop.example.com;',
      '        location /api/ { proxy_read_timeout 30s; proxy_pass http://api; }',
      '        location / { proxy_pass http://api:8080; }',
      '        location ~ \\.php$ { fastcgi_pass unix:/run/php/www.sock; }',
      '    }',
      '}',
      '',
    ].join('\n'),
    '/o/php/pool.d/www.conf': '[www]\nlisten = /run/php/$pool.sock\npm = dynamic\npm = static\n',
    '/o/cloudflared/config.yml': 'tunnel: t\ningress:\n  - hostname: shop.example.com\n    service: https://127.0.0.1:443\n  - service: http_status:404\n',
  });
  const { origin } = engine.analyze().model;
  assert.equal(origin.servers.length, 1);
  assert.deepEqual(origin.servers[0].serverNames, ['shop.example.com', 'www.shop.example.com']);
  assert.deepEqual(origin.servers[0].listens.map((l) => [l.endpoint, l.ssl, l.http2]), [[{ kind: 'tcp', host: '*', port: 443 }, true, true]]);
  assert.deepEqual(origin.upstreams.map((u) => [u.name, u.servers.map((s) => [s.address, s.backup])]), [['api', [['127.0.0.1:3000', false], ['127.0.0.1:3001', true]]]]);
  const [api, withPort, php] = origin.passes;
  assert.equal(api.upstream?.name, 'api');
  assert.equal(withPort.upstream, undefined, 'a target with a port is not the upstream block');
  assert.equal(api.effective('proxy_read_timeout')?.directive.args[0].value, '30s');
  assert.equal(withPort.effective('proxy_read_timeout')?.directive.args[0].value, '90s');
  assert.equal(php.kind, 'fastcgi_pass');
  assert.equal(php.target.unixPath, '/run/php/www.sock');
  assert.equal(origin.pools.length, 1);
  assert.deepEqual(origin.pools[0].listen?.endpoint, { kind: 'unix', path: '/run/php/www.sock' });
  assert.equal(origin.pools[0].get('pm')?.value, 'static', 'the last value of a key wins');
  assert.deepEqual(origin.ingress.map((r) => [r.hostname, r.service]), [['shop.example.com', 'https://127.0.0.1:443'], [undefined, 'http_status:404']]);
});
