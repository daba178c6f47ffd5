import { test } from 'node:test';
import { NGINX_ERROR_LOG } from './nginx-service';
import { FPM_POOL, phpServer, visitors, wwwPool, writePhpOrigin } from './origins';
import { runScenario } from './scenario';

/**
 * One worker, a listen queue of 5 (backlog 4), 20 visitors of a one-second script: the worker takes
 * one, five wait, and the socket refuses the rest, which nginx answers with 502. php-fpm logs no
 * "server reached pm.max_children" with pm = static. The visitors arrive 10 ms apart, all within
 * 0.2 s, so all 20 are in flight together; sent in the same millisecond, even 48 idle workers do
 * not accept fast enough to keep a queue of 5 from overflowing, and the lab would measure that.
 */
test('pm.max_children = 1 against 20 concurrent one-second requests', (t) =>
  runScenario(t, {
    title: 'pm.max_children = 1, 20 concurrent 1 s requests',
    rule: 'php-fpm/max-children-low',
    ports: ['front'],
    // The capacity quick fix sizes the pool from the server's memory.
    settings: () => ({ server: { memoryMB: 4096 } }),
    setUp: (site) => ({
      services: writePhpOrigin(site, {
        servers: phpServer(site, { port: site.ports.front }),
        pool: wwwPool(site, 'listen.backlog = 4\npm = static\npm.max_children = 1\n'),
        scripts: { 'slow.php': '<?php sleep(1); echo "php ok\\n";\n' },
      }),
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/slow.php`, { concurrency: 20, spacingMs: 10, deadlineMs: 15_000 }),
    }),
    finding: { file: FPM_POOL, line: 'pm.max_children = 1' },
    failure: { outcome: '502', logs: [{ file: NGINX_ERROR_LOG, text: '(11: Resource temporarily unavailable) while connecting to upstream' }] },
  }));
