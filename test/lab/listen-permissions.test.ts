import { test } from 'node:test';
import { NGINX_ERROR_LOG } from './nginx-service';
import { fpmSocket, FPM_POOL, phpServer, visitors, writePhpOrigin } from './origins';
import { runScenario } from './scenario';

test("the pool's socket is 0600 and owned by nobody, nginx's workers run as www-data", (t) =>
  runScenario(t, {
    title: 'socket 0600 owned by nobody, nginx as www-data',
    rule: 'php-fpm/listen-permissions',
    ports: ['front'],
    setUp: (site) => ({
      services: writePhpOrigin(site, {
        servers: phpServer(site, { port: site.ports.front }),
        pool: `[www]
user = www-data
group = www-data
listen = ${fpmSocket(site)}
listen.owner = nobody
listen.group = nogroup
listen.mode = 0600
pm = static
pm.max_children = 4
`,
        scripts: { 'index.php': '<?php echo "php ok\\n";\n' },
      }),
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/index.php`),
    }),
    finding: { file: FPM_POOL, line: 'listen.owner = nobody' },
    failure: { outcome: '502', logs: [{ file: NGINX_ERROR_LOG, text: 'php8.2-fpm.sock failed (13: Permission denied)' }] },
  }));
