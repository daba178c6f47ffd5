import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { documentLinksOf } from '../../../server/src/features/links';
import { workspace } from '../engine-harness';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

test('nginx: an include links to each file its glob matches; certificates only when they exist', () => {
  const { engine, host } = workspace({
    '/o/nginx/nginx.conf': 'events {}\nhttp {\n    include sites/*.conf;\n    include missing.conf;\n}\n',
    '/o/nginx/sites/a.conf': 'server {\n    listen 443 ssl;\n    ssl_certificate certs/a.pem;\n    ssl_certificate_key certs/a.key;\n    ssl_dhparam /etc/ssl/$host.pem;\n}\n',
    '/o/nginx/sites/b.conf': 'server { listen 80; }\n',
    '/o/nginx/certs/a.pem': 'certificate',
  });
  assert.deepEqual(documentLinksOf(engine, '/o/nginx/nginx.conf', host), [
    { range: range(2, 12, 24), target: '/o/nginx/sites/a.conf', tooltip: '/o/nginx/sites/a.conf' },
    { range: range(2, 12, 24), target: '/o/nginx/sites/b.conf', tooltip: '/o/nginx/sites/b.conf' },
  ]);
  // Relative to the conf prefix (the main config's folder), not to the site's own folder.
  assert.deepEqual(documentLinksOf(engine, '/o/nginx/sites/a.conf', host), [
    { range: range(2, 20, 31), target: '/o/nginx/certs/a.pem', tooltip: '/o/nginx/certs/a.pem' },
  ]);
});

test('php-fpm: log paths with $pool expanded and include globs, when the files exist', () => {
  const { engine, host } = workspace({
    '/o/php/php-fpm.conf': '[global]\nerror_log = /o/log/fpm.log\ninclude = /o/php/pool.d/*.conf\n',
    '/o/php/pool.d/www.conf': '[www]\nslowlog = /o/log/$pool.slow\naccess.log = /o/log/none.log\nlisten = /run/www.sock\n',
    '/o/log/fpm.log': '',
    '/o/log/www.slow': '',
  });
  assert.deepEqual(documentLinksOf(engine, '/o/php/php-fpm.conf', host).map((l) => [l.range, l.target]), [
    [range(1, 12, 26), '/o/log/fpm.log'],
    [range(2, 10, 30), '/o/php/pool.d/www.conf'],
  ]);
  assert.deepEqual(documentLinksOf(engine, '/o/php/pool.d/www.conf', host).map((l) => [l.range, l.target]), [[range(1, 10, 27), '/o/log/www.slow']]);
});

test('cloudflared: the credentials file, relative to the config, when it exists', () => {
  const { engine, host } = workspace({
    '/o/cloudflared/config.yml': 'tunnel: t\ncredentials-file: creds.json\norigincert: ~/.cloudflared/cert.pem\ningress:\n  - service: http_status:404\n',
    '/o/cloudflared/creds.json': '{}',
  });
  assert.deepEqual(documentLinksOf(engine, '/o/cloudflared/config.yml', host), [
    { range: range(1, 18, 28), target: '/o/cloudflared/creds.json', tooltip: '/o/cloudflared/creds.json' },
  ]);
});
