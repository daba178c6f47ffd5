import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CAUSES, causeOf } from '../../../server/src/logs/causes';
import { parseLogLine } from '../../../server/src/logs/log-event';
import { findServer } from '../../../server/src/logs/server-match';
import { explainLog, originAnalysis } from './fixture-workspace';

test('the catalogue: the ids the CLI promises, each once, with what the visitor got', () => {
  const statuses = Object.fromEntries(CAUSES.map((c) => [c.id, c.status]));
  assert.equal(Object.keys(statuses).length, CAUSES.length, 'ids are unique');
  for (const id of [
    'upstream-refused', 'upstream-socket-missing', 'upstream-permission-denied', 'upstream-backlog-full', 'upstream-too-big-header',
    'upstream-prematurely-closed', 'upstream-reset', 'no-live-upstreams', 'no-resolver', 'upstream-ssl-handshake', 'upstream-ssl-verify',
    'upstream-invalid-header', 'upstream-invalid-chunked', 'worker-connections', 'fpm-max-children-reached', 'fpm-execution-timeout',
    'fpm-worker-killed', 'fpm-config-error',
  ]) assert.equal(statuses[id], id === 'upstream-invalid-chunked' ? '200 truncated' : '502', id);
  assert.equal(statuses['upstream-timeout'], '504');
  assert.equal(statuses['upstream-truncated-body'], '200 truncated');
});

const NGINX = '2024/01/03 12:00:00 [error] 7#7: *1';
const TAIL = ', client: 10.0.0.1, server: shop.example, request: "GET / HTTP/1.1", upstream: "http://10.0.0.5:8080/", host: "shop.example"';

/** Wordings the capture did not produce, from nginx's and PHP-FPM's own format strings and older releases. */
const VARIANTS: Record<string, string | undefined> = {
  [`${NGINX} connect() to 10.0.0.5:8080 failed (111: Connection refused) while connecting to upstream${TAIL}`]: 'upstream-refused',
  [`${NGINX} upstream timed out (110: Connection timed out) while connecting to upstream${TAIL}`]: 'upstream-timeout',
  [`${NGINX} peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream${TAIL}`]: 'upstream-ssl-handshake',
  [`${NGINX} upstream SSL certificate does not match "api.internal" while SSL handshaking to upstream${TAIL}`]: 'upstream-ssl-verify',
  [`${NGINX} upstream sent no valid HTTP/1.0 header while reading response header from upstream${TAIL}`]: 'upstream-invalid-header',
  [`${NGINX} upstream sent invalid header while reading response header from upstream${TAIL}`]: 'upstream-invalid-header',
  [`${NGINX} upstream prematurely closed FastCGI stdout while reading response header from upstream${TAIL}`]: 'upstream-prematurely-closed',
  [`${NGINX} writev() failed (32: Broken pipe) while sending request to upstream${TAIL}`]: 'upstream-reset',
  [`${NGINX} upstream sent invalid FastCGI record type: 2 while reading response header from upstream${TAIL}`]: 'upstream-not-fastcgi',
  ['2024/01/03 12:00:00 [alert] 7#7: 1024 worker_connections are not enough']: 'worker-connections',
  // The visitor's side of the connection is not the backend's.
  [`${NGINX} recv() failed (104: Connection reset by peer) while reading client request line, client: 10.0.0.1, server: 0.0.0.0:80`]: undefined,
  [`${NGINX} connect() failed (111: Connection refused) while requesting certificate status, responder: ocsp.example`]: undefined,
  ['[03-Jan-2024 12:00:00] WARNING: [pool www] server reached max_children setting (5), consider raising it']: 'fpm-max-children-reached',
  ['[03-Jan-2024 12:00:00] WARNING: [pool www] child 4242 exited on signal 11 (SIGSEGV - core dumped) after 3.100000 seconds from start']: 'fpm-worker-killed',
  ['[03-Jan-2024 12:00:00] NOTICE: [pool www] child 4242 exited on signal 15 (SIGTERM) after 3.100000 seconds from start']: undefined,
  ['[03-Jan-2024 12:00:00] WARNING: [pool www] child 4242 exited on signal 3 (SIGQUIT) after 3.100000 seconds from start']: undefined,
  ['[03-Jan-2024 12:00:00] WARNING: [pool www] child 4242, script \'/var/www/x.php\' execution timed out (30.001 sec), terminating']: 'fpm-execution-timeout',
  ['[03-Jan-2024 12:00:00] ERROR: [pool www] pm.start_servers(10) must not be less than pm.min_spare_servers(2) and not greater than pm.max_spare_servers(5)']: 'fpm-config-error',
  ["[03-Jan-2024 12:00:00] ERROR: unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)"]: 'fpm-config-error',
  ['[03-Jan-2024 12:00:00] ERROR: FPM initialization failed']: undefined,
  ['[03-Jan-2024 12:00:00] WARNING: [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 9 total children']: undefined,
};

test('wordings from nginx\'s and PHP-FPM\'s sources map to their cause, and look-alikes to none', () => {
  for (const [line, id] of Object.entries(VARIANTS)) {
    const event = parseLogLine(line);
    assert.ok(event, line);
    assert.equal(causeOf(event)?.id, id, line);
  }
});

test('a timeout blames the timeout of its phase: proxy_connect_timeout while connecting, proxy_read_timeout while reading', () => {
  const files = {
    'nginx/nginx.conf': `events {}
http {
    proxy_read_timeout 30s;
    server {
        listen 80;
        server_name shop.example;
        location / {
            proxy_connect_timeout 2s;
            proxy_pass http://10.0.0.5:8080;
        }
    }
}
`,
  };
  const blamed = (action: string) => explainLog(`${NGINX} upstream timed out (110: Connection timed out) while ${action}${TAIL}\n`, files)[0].config.map((p) => p.text);
  assert.deepEqual(blamed('connecting to upstream'), ['proxy_pass http://10.0.0.5:8080', 'proxy_connect_timeout 2s']);
  assert.deepEqual(blamed('reading response header from upstream'), ['proxy_pass http://10.0.0.5:8080', 'proxy_read_timeout 30s']);
});

test('the server by its first name, then by Host among servers sharing it; the pass that reached the logged upstream', () => {
  const files = {
    'nginx/nginx.conf': `events {}
http {
    server {
        listen 80;
        server_name shop.example www.shop.example;
        location / {
            try_files $uri /index.php;
        }
        location ~ \\.php$ {
            fastcgi_pass unix:/run/php/php8.2-fpm.sock;
        }
    }
    server {
        listen 8080;
        server_name shop.example;
        location / {
            proxy_pass http://10.0.0.9:3000;
        }
    }
    server {
        listen 80 default_server;
        server_name "";
        location / {
            proxy_pass http://10.0.0.7:3000;
        }
    }
}
`,
  };
  const { servers } = originAnalysis(files).model.origin;
  const listenOf = (event: { server?: string; host?: string }) => findServer(servers, event)?.listens[0].node.directive.args.map((a) => a.value).join(' ');
  assert.equal(listenOf({ server: 'shop.example', host: 'shop.example:8080' }), '8080');
  assert.equal(listenOf({ server: 'shop.example', host: 'www.shop.example' }), '80');
  assert.equal(listenOf({ server: '', host: 'unknown.example' }), '80 default_server');
  // A connection without a request names the listen address.
  assert.equal(listenOf({ server: '0.0.0.0:8080' }), '8080');
  assert.equal(listenOf({ server: 'elsewhere.example' }), undefined);
  const passOf = (line: string) => explainLog(`${line}\n`, files)[0].config[0]?.text;
  // "GET /" went through try_files to the PHP location: the log's upstream says which pass.
  assert.equal(passOf(`${NGINX} connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 10.0.0.1, server: shop.example, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example"`), 'fastcgi_pass unix:/run/php/php8.2-fpm.sock');
  // Two servers named shop.example: the Host's port tells them apart.
  assert.equal(passOf(`${NGINX} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: shop.example, request: "GET / HTTP/1.1", upstream: "http://10.0.0.9:3000/", host: "shop.example:8080"`), 'proxy_pass http://10.0.0.9:3000');
  // The catch-all server with an empty name.
  assert.equal(passOf(`${NGINX} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "http://10.0.0.7:3000/", host: "unknown.example"`), 'proxy_pass http://10.0.0.7:3000');
});
