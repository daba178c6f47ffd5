import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { documentSymbolsOf, workspaceSymbolsOf, type OutlineSymbol } from '../../../server/src/features/symbols';
import { workspace } from '../engine-harness';

const FILES = {
  '/o/nginx/nginx.conf': [
    'events {}',
    'http {',
    '    upstream app { server 127.0.0.1:3000; }',
    '    server {',
    '        listen 443 ssl;',
    '        listen [::]:443 ssl;',
    '        server_name shop.example www.shop.example;',
    '        location ~ \\.php$ { fastcgi_pass unix:/run/php/www.sock; }',
    '        location @fallback {',
    '            if ($x) { return 404; }',
    '            content_by_lua_block { ngx.say(1) }',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n'),
  '/o/php/pool.d/www.conf': '[global]\ndaemonize = no\n[www]\nlisten = /run/php/www.sock\npm = static\n',
  '/o/cloudflared/config.yml': 'tunnel: t\ningress:\n  - hostname: shop.example\n    service: http://127.0.0.1:443\n  - hostname: api.example\n    path: ^/v1\n    service: http://127.0.0.1:8080\n  - service: http_status:404\n',
};

/** name (detail) [kind] with children indented, one per line. */
function outline(symbols: OutlineSymbol[] | null, depth = 0): string[] {
  return (symbols ?? []).flatMap((s) => [
    `${'  '.repeat(depth)}${s.name}${s.detail ? ` (${s.detail})` : ''} [${s.kind}]`,
    ...outline(s.children ?? [], depth + 1),
  ]);
}

test('nginx outline: http › server named by server_name and listen › location by its match › …', () => {
  const { engine } = workspace(FILES);
  const symbols = documentSymbolsOf(engine, '/o/nginx/nginx.conf');
  assert.deepEqual(outline(symbols), [
    'events [3]',
    'http [3]',
    '  upstream app [11]',
    '  server shop.example www.shop.example [listen 443 ssl, [::]:443 ssl] [5]',
    '    location ~ \\.php$ [6]',
    '    location @fallback [6]',
    '      if ($x) [6]',
    '      content_by_lua_block [12]',
  ]);
  const server = symbols![1].children![1];
  assert.deepEqual([server.range, server.selectionRange], [
    { start: { line: 3, character: 4 }, end: { line: 12, character: 5 } },
    { start: { line: 3, character: 4 }, end: { line: 3, character: 10 } },
  ]);
});

test('php-fpm outline: sections by name, pools with their listen, entries inside', () => {
  const { engine } = workspace(FILES);
  assert.deepEqual(outline(documentSymbolsOf(engine, '/o/php/pool.d/www.conf')), [
    '[global] [2]',
    '  daemonize (no) [7]',
    '[www] (listen /run/php/www.sock) [5]',
    '  listen (/run/php/www.sock) [7]',
    '  pm (static) [7]',
  ]);
});

test('cloudflared outline: ingress rules by hostname (and path), the catch-all named so', () => {
  const { engine } = workspace(FILES);
  const symbols = documentSymbolsOf(engine, '/o/cloudflared/config.yml');
  assert.deepEqual(outline(symbols), [
    'tunnel (t) [7]',
    'ingress (3 rules) [18]',
    '  shop.example (http://127.0.0.1:443) [19]',
    '  api.example ^/v1 (http://127.0.0.1:8080) [19]',
    '  catch-all (http_status:404) [19]',
  ]);
  assert.deepEqual(symbols![1].children![0].selectionRange, { start: { line: 2, character: 14 }, end: { line: 2, character: 26 } });
});

test('workspace symbols: servers, upstreams and pools, filtered by the query\'s characters in order', () => {
  const { engine } = workspace(FILES);
  assert.deepEqual(workspaceSymbolsOf(engine, '').map((s) => [s.name, s.kind, s.file, s.range.start.line, s.containerName]), [
    ['server shop.example www.shop.example [listen 443 ssl, [::]:443 ssl]', 5, '/o/nginx/nginx.conf', 3, 'nginx'],
    ['upstream app', 11, '/o/nginx/nginx.conf', 2, 'nginx'],
    ['pool [www]', 5, '/o/php/pool.d/www.conf', 2, 'php-fpm'],
  ]);
  assert.deepEqual(workspaceSymbolsOf(engine, 'shop443').map((s) => s.name), ['server shop.example www.shop.example [listen 443 ssl, [::]:443 ssl]']);
  assert.deepEqual(workspaceSymbolsOf(engine, 'WWW').map((s) => s.name), ['server shop.example www.shop.example [listen 443 ssl, [::]:443 ssl]', 'pool [www]']);
});
