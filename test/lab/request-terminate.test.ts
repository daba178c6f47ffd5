import { test } from 'node:test';
import { NGINX_ERROR_LOG } from './nginx-service';
import { FPM_ERROR_LOG } from './php-fpm-service';
import { FPM_POOL, phpServer, visitors, wwwPool, writePhpOrigin } from './origins';
import { runScenario, type Scenario } from './scenario';

/**
 * A pool that kills requests after 1 s, a script that needs 2 s. The same origin breaks two promises:
 * PHP's own max_execution_time (30 s) and nginx's fastcgi_read_timeout (60 s by default).
 */
function terminateAfterOneSecond(title: string, rule: string): Scenario<'front'> {
  return {
    title,
    rule,
    ports: ['front'],
    setUp: (site) => ({
      services: writePhpOrigin(site, {
        servers: phpServer(site, { port: site.ports.front }),
        pool: wwwPool(site, `pm = static
pm.max_children = 4
request_terminate_timeout = 1s
php_admin_value[max_execution_time] = 30
`),
        scripts: { 'report.php': '<?php sleep(2); echo "php ok\\n";\n' },
      }),
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/report.php`, { requests: 4, concurrency: 4 }),
    }),
    finding: { file: FPM_POOL, line: 'request_terminate_timeout = 1s' },
    failure: {
      outcome: '502',
      logs: [
        { file: FPM_ERROR_LOG, text: 'execution timed out' },
        // The killed worker's socket is reset, not closed: nginx 1.22 logs this, not "upstream prematurely closed".
        { file: NGINX_ERROR_LOG, text: 'recv() failed (104: Connection reset by peer) while reading response header from upstream' },
      ],
    },
  };
}

test('request_terminate_timeout = 1s below max_execution_time, a 2 s script', (t) =>
  runScenario(t, terminateAfterOneSecond('request_terminate_timeout 1s < max_execution_time 30', 'php-fpm/request-terminate-short')));

test("request_terminate_timeout = 1s below nginx's fastcgi_read_timeout, a 2 s script", (t) =>
  runScenario(t, terminateAfterOneSecond('request_terminate_timeout 1s < fastcgi_read_timeout 60s', 'php-fpm/terminate-before-nginx')));
