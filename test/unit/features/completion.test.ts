import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { resolveSettings } from '../../../server/src/core/settings';
import { completionsAt, resolveCompletion, type CompletionEntry } from '../../../server/src/features/completion';
import { workspace } from '../engine-harness';

const MAIN = 'events {}\nhttp {\n    upstream app { server 127.0.0.1:3000; server 127.0.0.1:3001 backup; }\n    include sites/*.conf;\n}\n';
const POOL = '[www]\nlisten = /run/php/www.sock\n';

/** Completions at the `|` of `text` in `path`, with the other files around it. */
function complete(path: string, text: string, others: Record<string, string> = {}, settings: unknown = {}): CompletionEntry[] {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  const character = lines[line].indexOf('|');
  const { engine } = workspace({ ...others, [path]: text.replace('|', '') });
  return completionsAt(engine, path, { line, character }, resolveSettings(settings));
}

const labels = (items: CompletionEntry[]) => items.map((i) => i.label);
const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

test('nginx: directive names allowed in the location of a site included inside http, with the typed part replaced', () => {
  const items = complete('/o/nginx/sites/shop.conf', 'server {\n    location / {\n        gz|\n    }\n}\n', { '/o/nginx/nginx.conf': MAIN });
  const names = labels(items);
  for (const name of ['gzip', 'gzip_types', 'proxy_pass', 'fastcgi_pass', 'return', 'location']) assert.ok(names.includes(name), name);
  for (const name of ['server', 'listen', 'http', 'upstream', 'worker_processes']) assert.ok(!names.includes(name), name);
  assert.deepEqual(items.find((i) => i.label === 'gzip'), {
    label: 'gzip', kind: 14, textEdit: { range: range(2, 8, 10), newText: 'gzip' }, detail: 'gzip on | off', data: { nginxDirective: 'gzip' },
  });
  assert.deepEqual(names.filter((n) => n.startsWith('location (')), ['location (reverse proxy)', 'location (PHP-FPM)']);
});

test('nginx: the server level and the main context get their own directives', () => {
  const server = labels(complete('/o/nginx/sites/shop.conf', 'server {\n    |\n}\n', { '/o/nginx/nginx.conf': MAIN }));
  assert.ok(server.includes('listen') && server.includes('server_name') && server.includes('location'));
  assert.ok(!server.includes('proxy_pass'), 'proxy_pass of the stream module does not fit an http server');
  const main = labels(complete('/o/nginx/nginx.conf', 'events {}\n|\n'));
  assert.ok(main.includes('http') && main.includes('worker_processes') && main.includes('events'));
  assert.ok(!main.includes('server') && !main.includes('gzip'));
  assert.deepEqual(labels(complete('/o/nginx/nginx.conf', 'http {\n    map $a $b {\n        |\n    }\n}\n')), ['include'], 'map entries are data');
});

test('nginx: fixed values of the directive, with the syntax and default as documentation, minus those written', () => {
  const items = complete('/o/nginx/sites/shop.conf', 'server {\n    gzip |\n}\n', { '/o/nginx/nginx.conf': MAIN });
  assert.deepEqual(items, [
    { label: 'on', kind: 20, textEdit: { range: range(1, 9, 9), newText: 'on' }, detail: 'gzip on | off', documentation: { kind: 'markdown', value: '`gzip on | off`\n\nDefault: `off`' } },
    { label: 'off', kind: 20, textEdit: { range: range(1, 9, 9), newText: 'off' }, detail: 'gzip on | off', documentation: { kind: 'markdown', value: '`gzip on | off`\n\nDefault: `off`' } },
  ]);
  const listen = labels(complete('/o/nginx/sites/shop.conf', 'server {\n    listen 443 ssl |\n}\n'));
  assert.ok(listen.includes('default_server') && listen.includes('backlog=') && !listen.includes('ssl'));
});

test('nginx: arguments continued on the next line belong to the directive above', () => {
  const items = complete('/o/nginx/nginx.conf', 'http {\n    ssl_protocols TLSv1.2\n        TLS|\n}\n');
  assert.deepEqual(labels(items), ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.3']);
  assert.deepEqual(items[0].textEdit.range, range(2, 8, 11));
});

test('nginx: upstream names after proxy_pass http://, documented with their servers', () => {
  const items = complete('/o/nginx/sites/shop.conf', 'server {\n    location / {\n        proxy_pass http://a|\n    }\n}\n', { '/o/nginx/nginx.conf': MAIN });
  assert.deepEqual(items, [{
    label: 'http://app', kind: 9, textEdit: { range: range(2, 19, 27), newText: 'http://app' }, detail: 'upstream app',
    documentation: { kind: 'markdown', value: 'upstream `app` (nginx.conf:3)\n- `127.0.0.1:3000`\n- `127.0.0.1:3001` (backup)' },
  }]);
});

test('nginx: the workspace\'s PHP-FPM pools (and upstreams) after fastcgi_pass', () => {
  const items = complete('/o/nginx/sites/shop.conf', 'server {\n    location ~ \\.php$ {\n        fastcgi_pass |\n    }\n}\n', {
    '/o/nginx/nginx.conf': MAIN, '/o/php/pool.d/www.conf': POOL,
  });
  assert.deepEqual(items.map((i) => [i.label, i.kind, i.detail]), [['app', 9, 'upstream app'], ['unix:/run/php/www.sock', 12, 'PHP-FPM pool [www]']]);
  assert.equal(items[1].documentation?.value, 'PHP-FPM pool `[www]` listens on `/run/php/www.sock` (www.conf:2)');
});

test('nginx: variables after $, in strings too: the reference\'s and those the workspace sets', () => {
  const text = 'server {\n    set $cart_id 1;\n    return 200 "id $car|";\n}\n';
  const items = complete('/o/nginx/sites/shop.conf', text, { '/o/nginx/nginx.conf': MAIN });
  const cart = items.find((i) => i.label === '$cart_id');
  assert.deepEqual(cart, {
    label: '$cart_id', kind: 6, textEdit: { range: range(2, 19, 23), newText: '$cart_id' }, filterText: '$cart_id', detail: 'set (shop.conf:2)',
  });
  assert.equal(items.find((i) => i.label === '$host')?.textEdit.newText, '$host');
  assert.deepEqual(items.find((i) => i.label === '$http_NAME')?.textEdit, { range: range(2, 19, 23), newText: '\\$http_${1:name}' });
  assert.ok(!items.some((i) => i.label === '$ssl_preread_server_name'), 'stream variables stay out of http');
  const braced = complete('/o/nginx/sites/shop.conf', 'server {\n    root /srv/${ho|\n}\n');
  assert.deepEqual(braced.find((i) => i.label === '$host')?.textEdit, { range: range(1, 14, 18), newText: '${host}' });
});

test('nginx: nothing in comments and Lua bodies', () => {
  assert.deepEqual(complete('/o/nginx/nginx.conf', 'http {\n    # gz|\n}\n'), []);
  assert.deepEqual(complete('/o/nginx/nginx.conf', 'http {\n    server {\n        location / {\n            content_by_lua_block {\n                ngx.|\n            }\n        }\n    }\n}\n'), []);
});

test('nginx: the documentation of a directive comes with completionItem/resolve', () => {
  const [item] = complete('/o/nginx/sites/shop.conf', 'server {\n    location / {\n        gzip_vary|\n    }\n}\n').filter((i) => i.label === 'gzip_vary');
  assert.match(resolveCompletion(item).documentation!.value, /^\*\*gzip_vary\*\* — ngx_http_gzip_module/);
});

test('php-fpm: keys of the section the line is in, arrays as snippets, the pool snippet at the start of a line', () => {
  const pool = complete('/o/php/pool.d/www.conf', '[www]\npm.max|\n');
  const names = labels(pool);
  assert.ok(names.includes('pm.max_children') && names.includes('listen') && names.includes('include') && !names.includes('daemonize'));
  assert.deepEqual(pool.find((i) => i.label === 'php_value[…]'), {
    label: 'php_value[…]', kind: 10, textEdit: { range: range(1, 0, 6), newText: 'php_value[${1:name}]' }, insertTextFormat: 2,
    detail: 'pool', documentation: pool.find((i) => i.label === 'php_value[…]')!.documentation, filterText: 'php_value',
  });
  assert.equal(pool.find((i) => i.label === 'pm.max_requests')?.detail, 'pool, default 0');
  assert.equal(pool[pool.length - 1].label, 'pool');
  const global = labels(complete('/o/php/php-fpm.conf', '[global]\n|\n'));
  assert.ok(global.includes('daemonize') && !global.includes('pm'));
  assert.ok(!labels(complete('/o/php/pool.d/www.conf', '[www]\n  pm|\n')).includes('pool'), 'no section header indented');
});

test('php-fpm: enumerated values after =, nothing in comments', () => {
  assert.deepEqual(complete('/o/php/pool.d/www.conf', '[www]\npm = |\n').map((i) => [i.label, i.kind, i.detail, i.textEdit.range]), [
    ['static', 20, 'pm', range(1, 5, 5)], ['dynamic', 20, 'pm', range(1, 5, 5)], ['ondemand', 20, 'pm', range(1, 5, 5)],
  ]);
  assert.deepEqual(labels(complete('/o/php/pool.d/www.conf', '[www]\ncatch_workers_output = y|\n')), ['yes', 'no']);
  assert.deepEqual(labels(complete('/o/php/pool.d/www.conf', '[www]\nphp_flag[display_errors] = |\n')), ['on', 'off']);
  assert.deepEqual(complete('/o/php/pool.d/www.conf', '[www]\n; pm|\n'), []);
});

const TUNNEL = 'tunnel: t\ningress:\n';
const NGINX_80 = { '/o/nginx/nginx.conf': 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n' };

test('cloudflared: top-level keys, deprecated ones tagged, the ingress snippet while there is no ingress', () => {
  const items = complete('/o/cloudflared/config.yml', 'tunnel: t\n|\n', NGINX_80);
  const tunnel = items.find((i) => i.label === 'tunnel')!;
  assert.deepEqual([tunnel.kind, tunnel.textEdit, tunnel.detail], [10, { range: range(1, 0, 0), newText: 'tunnel: ' }, 'string']);
  assert.equal(items.find((i) => i.label === 'ingress')?.textEdit.newText, 'ingress:');
  assert.deepEqual(items.find((i) => i.label === 'proxy-dns')?.tags, [1]);
  const snippet = items.find((i) => i.label === 'ingress (rule + catch-all)')!;
  assert.equal(snippet.textEdit.newText, 'ingress:\n  - hostname: ${1:app.example.com}\n    service: ${2:http://127.0.0.1:80}\n  - service: http_status:404');
});

test('cloudflared: ingress rule keys on a list item, with the rule snippet; originRequest keys under a rule', () => {
  const items = complete('/o/cloudflared/config.yml', `${TUNNEL}  - hostname: a.example\n    service: http://127.0.0.1:80\n  - |\n`);
  assert.deepEqual(labels(items), ['hostname', 'path', 'service', 'originRequest', 'ingress rule + catch-all']);
  assert.equal(items[4].textEdit.newText, 'hostname: ${1:app.example.com}\n  service: ${2:http://127.0.0.1:80}\n- service: http_status:404');
  const withCatchAll = complete('/o/cloudflared/config.yml', `${TUNNEL}  - |\n  - service: http_status:404\n`);
  assert.equal(withCatchAll[4].label, 'ingress rule');
  const nested = labels(complete('/o/cloudflared/config.yml', `${TUNNEL}  - hostname: a.example\n    originRequest:\n      conn|\n`));
  assert.ok(nested.includes('connectTimeout') && nested.includes('noTLSVerify') && !nested.includes('hostname'));
  const topOrigin = labels(complete('/o/cloudflared/config.yml', 'originRequest:\n  |\n'));
  assert.ok(topOrigin.includes('keepAliveTimeout'));
  const access = labels(complete('/o/cloudflared/config.yml', 'originRequest:\n  access:\n    |\n'));
  assert.deepEqual(access, ['required', 'teamName', 'audTag', 'environment']);
});

test('cloudflared: service values — workspace listens first, then the service forms; http_status codes; booleans', () => {
  const items = complete('/o/cloudflared/config.yml', `${TUNNEL}  - hostname: a.example\n    service: |\n`, NGINX_80);
  assert.deepEqual(labels(items).slice(0, 4), ['http://127.0.0.1:80', 'http://', 'https://', 'unix:']);
  assert.deepEqual(items[0].textEdit, { range: range(3, 13, 13), newText: 'http://127.0.0.1:80' });
  assert.deepEqual(labels(complete('/o/cloudflared/config.yml', `${TUNNEL}  - service: http_status:4|\n`)), [
    'http_status:404', 'http_status:403', 'http_status:410', 'http_status:421', 'http_status:503', 'http_status:200', 'http_status:204',
  ]);
  const booleans = complete('/o/cloudflared/config.yml', `${TUNNEL}  - service: http://x\n    originRequest:\n      noTLSVerify:|\n`);
  assert.deepEqual(booleans.map((i) => [i.label, i.textEdit.newText, i.detail]), [['true', ' true', 'noTLSVerify'], ['false', ' false', 'noTLSVerify (default)']]);
});
