import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseLogLine, requestTarget } from '../../../server/src/logs/log-event';

test('an nginx upstream error: time, level, message, phase and the context nginx appends', () => {
  const line = '2026/11/25 13:54:43 [error] 25329#25329: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: refused.test, request: "GET /api/users HTTP/1.1", upstream: "http://127.0.0.1:9101/api/users", host: "refused.test"';
  assert.deepEqual(parseLogLine(line), {
    program: 'nginx',
    time: '2026-11-25T13:54:43',
    level: 'error',
    message: 'connect() failed (111: Connection refused)',
    action: 'connecting to upstream',
    client: '127.0.0.1',
    server: 'refused.test',
    request: 'GET /api/users HTTP/1.1',
    upstream: 'http://127.0.0.1:9101/api/users',
    host: 'refused.test',
  });
});

test('nginx context: a request line holding quotes, a referrer, an empty server name, no connection number', () => {
  const line = '2024/01/03 12:00:00 [error] 7#7: upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.1, server: , request: "GET /search?q="a b" HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example:8443", referrer: "https://shop.example/"';
  const event = parseLogLine(line);
  assert.equal(event?.server, '');
  assert.equal(event?.request, 'GET /search?q="a b" HTTP/1.1');
  assert.equal(event?.upstream, 'fastcgi://unix:/run/php/php8.2-fpm.sock:');
  assert.equal(event?.host, 'shop.example:8443');
  assert.equal(requestTarget(event?.request), '/search?q="a');
});

test('an nginx line without a request: the listen address stands as the server; a message without context', () => {
  assert.deepEqual(parseLogLine('2024/01/03 12:00:00 [alert] 7#7: *9 1024 worker_connections are not enough, client: 1.2.3.4, server: 0.0.0.0:443'), {
    program: 'nginx', time: '2024-01-03T12:00:00', level: 'alert', message: '1024 worker_connections are not enough', client: '1.2.3.4', server: '0.0.0.0:443',
    request: undefined, upstream: undefined, host: undefined,
  });
  assert.deepEqual(parseLogLine('2024/01/03 12:00:00 [notice] 1#1: signal process started'), {
    program: 'nginx', time: '2024-01-03T12:00:00', level: 'notice', message: 'signal process started',
  });
});

test('PHP-FPM lines: time, level, pool, and the request of a child', () => {
  assert.deepEqual(parseLogLine('[25-Nov-2026 13:54:44] WARNING: [pool exports] child 25326, script \'/srv/origin/www/export.php\' (request: "GET /export.php") execution timed out (1.274451 sec), terminating'), {
    program: 'php-fpm',
    time: '2026-11-25T13:54:44',
    level: 'WARNING',
    pool: 'exports',
    request: 'GET /export.php',
    message: 'child 25326, script \'/srv/origin/www/export.php\' (request: "GET /export.php") execution timed out (1.274451 sec), terminating',
  });
  // Without a timestamp (php-fpm logging to a container's stderr), and with microseconds.
  assert.deepEqual(parseLogLine('NOTICE: fpm is running, pid 1'), { program: 'php-fpm', level: 'NOTICE', message: 'fpm is running, pid 1' });
  assert.equal(parseLogLine('[03-Jan-2024 09:05:01.123456] ERROR: [pool www] pm.max_children must be a positive value')?.time, '2024-01-03T09:05:01');
});

test('lines of neither program are not events', () => {
  for (const line of ['', 'PHP Fatal error:  Allowed memory size exhausted', '127.0.0.1 - - [03/Jan/2024:12:00:00 +0000] "GET / HTTP/1.1" 502 157']) {
    assert.equal(parseLogLine(line), undefined, line);
  }
});
