import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { classifyByContent, classifyFile } from '../../../server/src/model/classify';

test('well-known names and folders decide before content', () => {
  assert.equal(classifyFile('/etc/nginx/nginx.conf', ''), 'nginx');
  assert.equal(classifyFile('/etc/nginx/fastcgi_params', ''), 'nginx');
  assert.equal(classifyFile('/etc/nginx/sites-enabled/default', ''), 'nginx');
  assert.equal(classifyFile('/srv/site.nginx', ''), 'nginx');
  assert.equal(classifyFile('/etc/php/8.2/fpm/php-fpm.conf', ''), 'php-fpm');
  assert.equal(classifyFile('/etc/php/8.2/fpm/pool.d/www.conf', ''), 'php-fpm');
  assert.equal(classifyFile('/usr/local/etc/php-fpm.d/zz-docker.conf', ''), 'php-fpm');
  assert.equal(classifyFile('/home/u/.cloudflared/config.yml', 'x: 1'), 'cloudflared');
  assert.equal(classifyFile('/srv/docker-compose.yml', 'services: {}'), 'compose');
});

test('an nginx folder keeps a php-fpm pool that says so in its content', () => {
  assert.equal(classifyFile('/srv/nginx/conf.d/pool.conf', '[www]\nlisten = 9000\npm = static\n'), 'php-fpm');
  assert.equal(classifyFile('/srv/nginx/conf.d/site.conf', 'server {\n listen 80;\n}\n'), 'nginx');
});

test('content decides for other .conf and extension-less files', () => {
  assert.equal(classifyByContent('/srv/app.conf', 'server {\n  listen 80;\n  location / { proxy_pass http://a; }\n}\n'), 'nginx');
  assert.equal(classifyByContent('/srv/app.conf', '; pool\n[app]\nuser = www\nlisten = 127.0.0.1:9000\n'), 'php-fpm');
  assert.equal(classifyByContent('/srv/readme', 'just some words\nand more\n'), undefined);
  assert.equal(classifyByContent('/srv/empty.conf', ''), undefined);
});

test('YAML is cloudflared only with a top-level tunnel or ingress key', () => {
  assert.equal(classifyFile('/srv/tunnel.yml', 'tunnel: abc\ningress:\n  - service: http_status:404\n'), 'cloudflared');
  assert.equal(classifyFile('/srv/ci.yml', 'jobs:\n  ingress: 1\n'), undefined);
});
