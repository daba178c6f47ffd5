import { test } from 'node:test';
import { HttpBackend, type Handler } from './http-backend';
import { NGINX_ERROR_LOG } from './nginx-service';
import { NGINX_CONF, phpServer, visitors, wwwPool, writeNginxOrigin, writePhpOrigin } from './origins';
import { runScenario } from './scenario';

/** A 16 KB session cookie: four times nginx's default header buffer of one 4k page. */
const COOKIE_BYTES = 16 * 1024;
const TOO_BIG_HEADER = 'upstream sent too big header while reading response header from upstream';

const bigCookieBackend: Handler = (_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': `session=${'a'.repeat(COOKIE_BYTES)}` });
  response.end('backend ok\n');
};

test('PHP sends a 16 KB Set-Cookie, fastcgi_buffer_size is the default', (t) =>
  runScenario(t, {
    title: '16 KB Set-Cookie from PHP, default fastcgi_buffer_size',
    rule: 'nginx/upstream-buffer-too-small',
    ports: ['front'],
    setUp: (site) => ({
      services: writePhpOrigin(site, {
        servers: phpServer(site, { port: site.ports.front }),
        pool: wwwPool(site, 'pm = static\npm.max_children = 4\n'),
        scripts: { 'login.php': `<?php setcookie('session', str_repeat('a', ${COOKIE_BYTES})); echo "php ok\\n";\n` },
      }),
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/login.php`),
    }),
    finding: { file: NGINX_CONF, line: 'fastcgi_pass unix:' },
    failure: { outcome: '502', logs: [{ file: NGINX_ERROR_LOG, text: TOO_BIG_HEADER }] },
  }));

// A default proxy_buffer_size is not flagged (every proxy would be); a small explicit one is, and it fails the same way.
test('a Node backend sends a 16 KB Set-Cookie through an explicit proxy_buffer_size 4k', (t) =>
  runScenario(t, {
    title: '16 KB Set-Cookie from Node, proxy_buffer_size 4k',
    rule: 'nginx/upstream-buffer-too-small',
    ports: ['front', 'backend'],
    setUp: (site) => ({
      services: [
        new HttpBackend('backend', '127.0.0.1', site.ports.backend, bigCookieBackend),
        writeNginxOrigin(site, `    server {
        listen 127.0.0.1:${site.ports.front};
        location / {
            proxy_buffer_size 4k;
            proxy_pass http://127.0.0.1:${site.ports.backend};
        }
    }`),
      ],
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/`),
    }),
    finding: { file: NGINX_CONF, line: 'proxy_buffer_size 4k' },
    failure: { outcome: '502', logs: [{ file: NGINX_ERROR_LOG, text: TOO_BIG_HEADER }] },
  }));
