import { test } from 'node:test';
import { fpmSocket, NGINX_CONF, phpServer, visitors, wwwPool, writePhpOrigin } from './origins';
import { NGINX_ERROR_LOG } from './nginx-service';
import { runScenario } from './scenario';

test("fastcgi_pass names the php8.1 socket, the pool listens on php8.2's", (t) =>
  runScenario(t, {
    title: 'fastcgi_pass to the php8.1 socket, pool on php8.2',
    rule: 'nginx/fastcgi-target-mismatch',
    ports: ['front'],
    setUp: (site) => ({
      services: writePhpOrigin(site, {
        servers: phpServer(site, { port: site.ports.front, fastcgiPass: `unix:${fpmSocket(site, '8.1')}` }),
        pool: wwwPool(site, 'pm = static\npm.max_children = 4\n'),
        scripts: { 'index.php': '<?php echo "php ok\\n";\n' },
      }),
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/index.php`),
    }),
    finding: { file: NGINX_CONF, line: 'fastcgi_pass unix:' },
    failure: { outcome: '502', logs: [{ file: NGINX_ERROR_LOG, text: 'php8.1-fpm.sock failed (2: No such file or directory)' }] },
  }));
