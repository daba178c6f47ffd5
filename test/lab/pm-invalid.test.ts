import { test } from 'node:test';
import { NGINX_ERROR_LOG } from './nginx-service';
import { FPM_ERROR_LOG } from './php-fpm-service';
import { FPM_POOL, phpServer, visitors, wwwPool, writePhpOrigin } from './origins';
import { runScenario } from './scenario';

test('pm.start_servers outside the spare range: php-fpm refuses to start', (t) =>
  runScenario(t, {
    title: 'pm.start_servers outside min/max spare, php-fpm down',
    rule: 'php-fpm/pm-invalid',
    ports: ['front'],
    setUp: (site) => ({
      services: writePhpOrigin(site, {
        servers: phpServer(site, { port: site.ports.front }),
        pool: wwwPool(site, `pm = dynamic
pm.max_children = 5
pm.start_servers = 4
pm.min_spare_servers = 1
pm.max_spare_servers = 3
`),
        scripts: { 'index.php': '<?php echo "php ok\\n";\n' },
      }),
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/index.php`),
    }),
    finding: { file: FPM_POOL, line: 'pm.start_servers = 4' },
    failure: {
      outcome: '502',
      refused: ['php-fpm'],
      logs: [
        { file: FPM_ERROR_LOG, text: 'pm.start_servers(4) must not be less than pm.min_spare_servers(1) and not greater than pm.max_spare_servers(3)' },
        { file: NGINX_ERROR_LOG, text: 'php8.2-fpm.sock failed (2: No such file or directory)' },
      ],
    },
  }));
