import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { resolveSettings } from '../../../server/src/core/settings';
import { Engine } from '../../../server/src/engine/engine';
import { classifyFile } from '../../../server/src/model/classify';
import { OverlayFileSystem } from '../../../server/src/model/host';
import {
  fastcgiPassesReaching, mainContextDirectives, passAddresses, poolsReachedBy, serverListens,
} from '../../../server/src/model/origin';
import { connectAddress, fpmListenEndpoint, parsePassTarget, parseServiceTarget, passEndpoint, socketPathsMeet } from '../../../server/src/model/targets';
import { rule as tunnelScheme } from '../../../server/src/rules/cloudflared/scheme-listener-mismatch';
import { rule as tunnelListener } from '../../../server/src/rules/cloudflared/service-no-listener';
import { rule as fastcgiTarget } from '../../../server/src/rules/nginx/fastcgi-target-mismatch';
import { rule as keepaliveFpm } from '../../../server/src/rules/nginx/upstream-keepalive-fpm';
import { rule as listenPermissions } from '../../../server/src/rules/php-fpm/listen-permissions';
import { rule as terminateBeforeNginx } from '../../../server/src/rules/php-fpm/terminate-before-nginx';
import { workspace } from '../engine-harness';
import { CONTAINERS, DEBIAN } from './fixtures';

const CROSS_FILE_RULES = [fastcgiTarget, terminateBeforeNginx, listenPermissions, tunnelListener, tunnelScheme, keepaliveFpm];

test('socket paths: /var/run is /run, Debian\'s php-fpm.sock link reaches a versioned socket only', () => {
  assert.ok(socketPathsMeet('/var/run/php/php8.2-fpm.sock', '/run/php/php8.2-fpm.sock'));
  assert.ok(socketPathsMeet('/run/php/php8.2-fpm.sock', '/var/run/php/php8.2-fpm.sock'));
  assert.ok(socketPathsMeet('/run/php/./www.sock', '/run/php/www.sock'));
  assert.ok(socketPathsMeet('/run/php/php-fpm.sock', '/run/php/php8.3-fpm.sock'));
  assert.ok(socketPathsMeet('/run/php/php-fpm.sock', '/run/php/php7-fpm.sock'));
  assert.ok(!socketPathsMeet('/run/php/php8.2-fpm.sock', '/run/php/php-fpm.sock'), 'the link goes one way');
  assert.ok(!socketPathsMeet('/run/php/php-fpm.sock', '/run/php/www.sock'));
  assert.ok(!socketPathsMeet('/tmp/php.sock', '/run/php.sock'));
});

test('tunnel services that speak HTTP, and the ones that do not', () => {
  assert.deepEqual(parseServiceTarget('http://localhost:8080'), { scheme: 'http', tls: false, endpoint: { kind: 'tcp', host: 'localhost', port: 8080 } });
  assert.deepEqual(parseServiceTarget('https://127.0.0.1'), { scheme: 'https', tls: true, endpoint: { kind: 'tcp', host: '127.0.0.1', port: 443 } });
  assert.deepEqual(parseServiceTarget('wss://[::1]'), { scheme: 'wss', tls: true, endpoint: { kind: 'tcp', host: '::1', port: 443 } });
  assert.deepEqual(parseServiceTarget('unix:/run/nginx.sock'), { scheme: 'unix', tls: false, endpoint: { kind: 'unix', path: '/run/nginx.sock' } });
  assert.deepEqual(parseServiceTarget('unix+tls:/run/nginx.sock'), { scheme: 'unix+tls', tls: true, endpoint: { kind: 'unix', path: '/run/nginx.sock' } });
  for (const other of ['http_status:404', 'hello_world', 'bastion', 'tcp://localhost:22', 'ssh://localhost:22', 'http://']) {
    assert.equal(parseServiceTarget(other), undefined, other);
  }
});

test('addresses: what nginx writes to reach a listener, targets without a port, listens only the environment knows', () => {
  assert.equal(connectAddress(fpmListenEndpoint('9000')!), '127.0.0.1:9000');
  assert.equal(connectAddress(fpmListenEndpoint('[::]:9000')!), '127.0.0.1:9000');
  assert.equal(connectAddress(fpmListenEndpoint('[::1]:9000')!), '[::1]:9000');
  assert.equal(connectAddress(fpmListenEndpoint('10.0.0.2:9000')!), '10.0.0.2:9000');
  assert.equal(connectAddress(fpmListenEndpoint('/run/php/www.sock')!), 'unix:/run/php/www.sock');
  assert.equal(passEndpoint(parsePassTarget('php')), undefined, 'fastcgi_pass needs a port');
  assert.deepEqual(passEndpoint(parsePassTarget('http://app')), { kind: 'tcp', host: 'app', port: 80 });
  assert.equal(fpmListenEndpoint('${FPM_LISTEN}'), undefined);
  assert.equal(fpmListenEndpoint('/run/php/${VERSION}.sock'), undefined);
});

test('the model: implicit, QUIC and ssl-on listens, stream servers, status listens, upstream servers that are down', () => {
  const { origin, nginxTrees } = workspace({
    '/n/nginx.conf': [
      'worker_processes 2;',
      'events {}',
      'http {',
      '    upstream php { server unix:/run/php/www.sock; server unix:/run/php/old.sock down; }',
      '    server { server_name implicit.example; }',
      '    server { listen 443 quic; listen 443; ssl on; location / { fastcgi_pass php; } }',
      '}',
      'stream { server { listen 8443; proxy_pass 10.0.0.2:443; } }',
      '',
    ].join('\n'),
    '/p/pool.d/www.conf': '[www]\nlisten = /run/php/www.sock\npm.status_listen = 127.0.0.1:9001\n',
  }).engine.analyze().model;
  const [implicit, tls] = origin.servers;
  assert.deepEqual(serverListens(implicit).map((l) => [l.endpoint, l.implicit]), [[{ kind: 'tcp', host: '*', port: 80 }, true]]);
  assert.deepEqual(serverListens(tls).map((l) => [l.quic, l.ssl]), [[true, true], [false, true]]);
  assert.deepEqual(origin.streamServers.map((s) => s.listens[0].endpoint), [{ kind: 'tcp', host: '*', port: 8443 }]);
  const [pool] = origin.pools;
  assert.deepEqual(pool.statusListen?.endpoint, { kind: 'tcp', host: '127.0.0.1', port: 9001 });
  const [pass] = origin.passes;
  assert.deepEqual(passAddresses(pass).map((a) => a.arg.value), ['unix:/run/php/www.sock']);
  assert.deepEqual(poolsReachedBy(origin, pass), [pool]);
  assert.deepEqual(fastcgiPassesReaching(origin, pool), [pass]);
  assert.deepEqual(mainContextDirectives(nginxTrees, 'worker_processes').map((n) => n?.directive.args[0].value), ['2']);
  assert.deepEqual(mainContextDirectives(nginxTrees, 'user'), [undefined]);
});

test('every cross-file rule runs to the end on both layouts and their broken variants', () => {
  const failures: string[] = [];
  const layouts: Array<Record<string, string>> = [
    DEBIAN,
    CONTAINERS,
    { ...DEBIAN, '/etc/php/8.2/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/old.sock\nlisten.acl_groups = web\nrequest_terminate_timeout = 5\n' },
    { '/etc/nginx/sites-enabled/x.conf': 'server { listen; location / { fastcgi_pass; fastcgi_read_timeout; } }\nupstream u { keepalive; server; }\n' },
  ];
  for (const files of layouts) {
    const host = new OverlayFileSystem();
    const engine = new Engine(host, resolveSettings({}), (message) => failures.push(message), CROSS_FILE_RULES);
    for (const [path, text] of Object.entries(files)) {
      host.set(path, text);
      engine.setFile(path, text, classifyFile(path, text)!);
    }
    engine.analyze();
  }
  assert.deepEqual(failures, []);
});
