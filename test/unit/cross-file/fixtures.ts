import type { Position } from '../../../server/src/core/text';
import { LineIndex } from '../../../server/src/core/text';

/** Debian 12 as installed: nginx with sites-enabled, php8.2-fpm's www pool, a tunnel to nginx on port 80. */
export const DEBIAN = {
  '/etc/nginx/nginx.conf': [
    'user www-data;',
    'worker_processes auto;',
    'pid /run/nginx.pid;',
    'events { worker_connections 768; }',
    'http {',
    '    include /etc/nginx/mime.types;',
    '    include /etc/nginx/sites-enabled/*;',
    '}',
    '',
  ].join('\n'),
  '/etc/nginx/sites-enabled/shop.conf': [
    'server {',
    '    listen 80;',
    '    server_name shop.example.com;',
    '    root /var/www/shop;',
    '    location ~ \\.php$ {',
    '        include snippets/fastcgi-php.conf;',
    '        fastcgi_pass unix:/run/php/php8.2-fpm.sock;',
    '    }',
    '}',
    '',
  ].join('\n'),
  '/etc/php/8.2/fpm/pool.d/www.conf': [
    '[www]',
    'user = www-data',
    'group = www-data',
    'listen = /run/php/php8.2-fpm.sock',
    'listen.owner = www-data',
    'listen.group = www-data',
    'pm = dynamic',
    'pm.max_children = 5',
    'pm.start_servers = 2',
    'pm.min_spare_servers = 1',
    'pm.max_spare_servers = 3',
    '',
  ].join('\n'),
  '/etc/cloudflared/config.yml': [
    'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef',
    'credentials-file: /root/.cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json',
    'ingress:',
    '  - hostname: shop.example.com',
    '    service: http://localhost:80',
    '  - service: http_status:404',
    '',
  ].join('\n'),
};

export const SITE = '/etc/nginx/sites-enabled/shop.conf';
export const POOL = '/etc/php/8.2/fpm/pool.d/www.conf';
export const NGINX_CONF = '/etc/nginx/nginx.conf';
export const TUNNEL = '/etc/cloudflared/config.yml';

/** The official php:fpm and nginx images side by side: php-fpm on port 9000 of its container, nginx passing to `php:9000`. */
export const CONTAINERS = {
  '/app/docker/nginx/default.conf': [
    'server {',
    '    listen 80;',
    '    root /var/www/html/public;',
    '    location ~ \\.php$ {',
    '        fastcgi_pass php:9000;',
    '        include fastcgi_params;',
    '    }',
    '}',
    '',
  ].join('\n'),
  '/app/docker/php-fpm.d/zz-docker.conf': '[global]\ndaemonize = no\n\n[www]\nlisten = 9000\n',
  '/app/docker/cloudflared/config.yml': 'tunnel: app\ningress:\n  - hostname: app.example.com\n    service: http://nginx:80\n  - service: http_status:404\n',
};

/** A copy of `files` with `file` replaced by `edit(text)`. */
export function withFile(files: Record<string, string>, file: string, edit: (text: string) => string): Record<string, string> {
  return { ...files, [file]: edit(files[file]) };
}

/** The position of the `nth` occurrence of `needle` in `text`, moved `shift` characters into it. */
export function positionOf(text: string, needle: string, shift = 0, nth = 1): Position {
  let offset = -1;
  for (let i = 0; i < nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset === -1) throw new Error(`"${needle}" not found`);
  }
  return new LineIndex(text).positionAt(offset + shift);
}
