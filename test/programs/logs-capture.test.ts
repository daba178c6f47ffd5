import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type ListenOptions, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from '../lab/burst';
import { freePorts } from '../lab/free-ports';
import { LogFile } from '../lab/log-file';
import { OriginFolder } from '../lab/origin-folder';
import { LabProcess, type Service } from '../lab/processes';
import { writeSelfSignedCertificate } from '../lab/tls-certificate';
import { explainLog, readFixtureOrigin } from '../unit/logs/fixture-workspace';

/*
 * Captures what real nginx (nginx-light) and PHP-FPM (php8.2-fpm) write to their logs for each cause of a
 * 502 the error-log lens explains: one origin in a temp folder, a name-based server per cause (each with
 * its own error_log), Node backends that misbehave on purpose, and PHP-FPM pools that run out of children,
 * time out, get killed or are refused at start.
 *
 *   npm run test:programs                                  checks today's nginx and PHP-FPM still write
 *                                                          lines that explain as the fixtures do
 *   ORIGIN_DOCTOR_WRITE_LOG_FIXTURES=1 npm run test:programs   also rewrites test/fixtures/logs/
 *
 * Fixtures are the captured files with the temp folder renamed /srv/origin and each port given a fixed
 * number; timestamps and pids are kept as the programs wrote them.
 */

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'logs');
const NEUTRAL_ROOT = '/srv/origin';

/** Every port the origin uses, and the number it has in the fixtures. */
const NEUTRAL_PORTS = {
  front: 8080, capacityFront: 8081,
  ok: 9001, bigHeader: 9002, closeEarly: 9003, silent: 9004, invalidChunked: 9005, invalidHeader: 9006,
  reset: 9007, truncated: 9008, tls: 9009,
  refused: 9101, refusedA: 9102, refusedB: 9103, dns: 9153,
} as const;
type PortName = keyof typeof NEUTRAL_PORTS;

interface Layout {
  root: string;
  port: Record<PortName, number>;
}

const FASTCGI = (layout: Layout, socket: string) => `include fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_pass unix:${layout.root}/run/php/${socket};`;

/** One name-based server per cause: its server block's body, and what its visitors ask for. */
interface CaptureScenario {
  name: string;
  body(layout: Layout): string;
  path: string;
  requests: number;
  concurrency?: number;
  /** The causes its error log must show. */
  expect: readonly string[];
}

const SCENARIOS: readonly CaptureScenario[] = [
  {
    name: 'refused', path: '/api/users', requests: 3, expect: ['upstream-refused'],
    body: (l) => `        location / {
            proxy_pass http://127.0.0.1:${l.port.ok};
        }
        location /api/ {
            proxy_pass http://127.0.0.1:${l.port.refused};
        }`,
  },
  {
    // The shop pool is refused at start (php8.2-refused-fpm.log), so its socket never appears.
    name: 'shop', path: '/index.php', requests: 3, expect: ['upstream-socket-missing'],
    body: (l) => `        root ${l.root}/www;
        location / {
            try_files $uri $uri/ /index.php?$args;
        }
        location ~ \\.php$ {
            ${FASTCGI(l, 'shop.sock')}
        }`,
  },
  {
    name: 'private', path: '/dashboard', requests: 2, expect: ['upstream-permission-denied'],
    body: (l) => `        location / {
            proxy_pass http://unix:${l.root}/run/app-private.sock;
        }`,
  },
  {
    // One child, a backlog of one: the pool fills, then the socket's queue does.
    name: 'busy', path: '/sleep.php', requests: 10, concurrency: 10, expect: ['upstream-backlog-full'],
    body: (l) => `        root ${l.root}/www;
        location ~ \\.php$ {
            ${FASTCGI(l, 'busy.sock')}
        }`,
  },
  {
    name: 'login', path: '/login', requests: 3, expect: ['upstream-too-big-header'],
    body: (l) => `        proxy_buffer_size 4k;
        location = /health {
            return 200;
        }
        location / {
            proxy_pass http://127.0.0.1:${l.port.bigHeader};
        }`,
  },
  {
    name: 'crashy', path: '/cart', requests: 3, expect: ['upstream-prematurely-closed'],
    body: (l) => `        location / {
            proxy_pass http://127.0.0.1:${l.port.closeEarly};
        }`,
  },
  {
    name: 'assets', path: '/static/app.css', requests: 3, expect: ['upstream-reset'],
    body: (l) => `        location ^~ /static/ {
            proxy_pass http://127.0.0.1:${l.port.reset};
        }
        location ~* \\.(css|js)$ {
            proxy_pass http://127.0.0.1:${l.port.ok};
        }`,
  },
  {
    name: 'reports', path: '/reports/yearly', requests: 2, concurrency: 2, expect: ['upstream-timeout'],
    body: (l) => `        location / {
            proxy_pass http://127.0.0.1:${l.port.ok};
        }
        location ~ ^/reports/ {
            proxy_pass http://127.0.0.1:${l.port.silent};
            proxy_read_timeout 1s;
        }`,
  },
  {
    name: 'feed', path: '/feed', requests: 3, expect: ['upstream-invalid-chunked'],
    body: (l) => `        location / {
            proxy_pass http://127.0.0.1:${l.port.ok};
        }
        location = /feed {
            proxy_http_version 1.1;
            proxy_pass http://127.0.0.1:${l.port.invalidChunked};
        }`,
  },
  {
    name: 'legacy', path: '/', requests: 2, expect: ['upstream-invalid-header'],
    body: (l) => `        location / {
            proxy_pass http://127.0.0.1:${l.port.invalidHeader};
        }`,
  },
  {
    name: 'downloads', path: '/download/report.pdf', requests: 2, expect: ['upstream-truncated-body'],
    body: (l) => `        location /download/ {
            proxy_pass http://127.0.0.1:${l.port.truncated};
        }`,
  },
  {
    // An HTTP backend behind https://: nginx's ClientHello gets an HTTP answer.
    name: 'secure', path: '/', requests: 2, expect: ['upstream-ssl-handshake'],
    body: (l) => `        location / {
            proxy_pass https://127.0.0.1:${l.port.ok};
        }`,
  },
  {
    name: 'verified', path: '/', requests: 2, expect: ['upstream-ssl-verify'],
    body: (l) => `        location / {
            proxy_pass https://127.0.0.1:${l.port.tls};
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate ${l.root}/tls/other-ca/backend.crt;
        }`,
  },
  {
    name: 'dynamic', path: '/', requests: 2, expect: ['no-resolver'],
    body: () => `        location / {
            set $backend api.internal.test;
            proxy_pass http://$backend;
        }`,
  },
  {
    // A resolver nothing answers on.
    name: 'lookup', path: '/', requests: 2, concurrency: 2, expect: ['upstream-unresolved'],
    body: (l) => `        resolver 127.0.0.1:${l.port.dns} valid=10s;
        resolver_timeout 1s;
        location / {
            set $backend api.internal.test;
            proxy_pass http://$backend;
        }`,
  },
  {
    name: 'orders', path: '/orders', requests: 4, concurrency: 1, expect: ['upstream-refused', 'no-live-upstreams'],
    body: () => `        location / {
            proxy_pass http://app_servers;
        }`,
  },
  {
    name: 'wrong-protocol', path: '/index.php', requests: 2, expect: ['upstream-not-fastcgi'],
    body: (l) => `        location ~ \\.php$ {
            include fastcgi_params;
            fastcgi_pass 127.0.0.1:${l.port.ok};
        }`,
  },
  {
    // request_terminate_timeout kills the child: nginx sees the connection reset.
    name: 'exports', path: '/export.php', requests: 2, concurrency: 2, expect: ['upstream-reset'],
    body: (l) => `        root ${l.root}/www;
        location ~ \\.php$ {
            ${FASTCGI(l, 'exports.sock')}
        }`,
  },
  {
    // The child is killed with SIGKILL mid-request (see visitAndKill).
    name: 'checkout', path: '/checkout.php', requests: 1, expect: ['upstream-reset'],
    body: (l) => `        root ${l.root}/www;
        location ~ \\.php$ {
            ${FASTCGI(l, 'checkout.sock')}
        }`,
  },
];

function nginxConfig(l: Layout): string {
  const servers = SCENARIOS.map((s) => `    server {
        listen 127.0.0.1:${l.port.front};
        server_name ${s.name}.test;
        error_log ${l.root}/log/${s.name}.error.log;
${s.body(l)}
    }`).join('\n\n');
  return `user www-data;
worker_processes 1;
pid ${l.root}/run/nginx.pid;
error_log ${l.root}/log/nginx-error.log;

events {
    worker_connections 512;
}

http {
    access_log ${l.root}/log/access.log;
    client_body_temp_path ${l.root}/tmp/body;
    proxy_temp_path ${l.root}/tmp/proxy;
    fastcgi_temp_path ${l.root}/tmp/fastcgi;
    uwsgi_temp_path ${l.root}/tmp/uwsgi;
    scgi_temp_path ${l.root}/tmp/scgi;

    upstream app_servers {
        server 127.0.0.1:${l.port.refusedA};
        server 127.0.0.1:${l.port.refusedB};
    }

${servers}
}
`;
}

/** A second nginx whose worker has a handful of connections: one slow backend exhausts them. */
function capacityNginxConfig(l: Layout): string {
  return `worker_processes 1;
pid ${l.root}/run/nginx-capacity.pid;
error_log ${l.root}/log/nginx-capacity-error.log;

events {
    worker_connections 5;
}

http {
    access_log off;
    proxy_temp_path ${l.root}/tmp/proxy-capacity;
    client_body_temp_path ${l.root}/tmp/body-capacity;

    server {
        listen 127.0.0.1:${l.port.capacityFront};
        server_name capacity.test;
        error_log ${l.root}/log/capacity.error.log;
        location / {
            proxy_pass http://127.0.0.1:${l.port.silent};
            proxy_read_timeout 2s;
        }
    }
}
`;
}

const FASTCGI_PARAMS = `fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  CONTENT_TYPE       $content_type;
fastcgi_param  CONTENT_LENGTH     $content_length;
fastcgi_param  SCRIPT_NAME        $fastcgi_script_name;
fastcgi_param  REQUEST_URI        $request_uri;
fastcgi_param  DOCUMENT_ROOT      $document_root;
fastcgi_param  SERVER_PROTOCOL    $server_protocol;
fastcgi_param  REMOTE_ADDR        $remote_addr;
fastcgi_param  SERVER_NAME        $server_name;
`;

function fpmMainConfig(l: Layout, name: string, log: string): string {
  return `[global]
pid = ${l.root}/run/${name}.pid
error_log = ${l.root}/log/${log}
include = ${l.root}/php/${name}/pool.d/*.conf
`;
}

function pool(l: Layout, name: string, lines: string): string {
  return `[${name}]
user = www-data
group = www-data
listen = ${l.root}/run/php/${name}.sock
listen.owner = www-data
listen.group = www-data
${lines}`;
}

/** The files of the origin, by path relative to its folder. */
function originFiles(l: Layout): Record<string, string> {
  return {
    'nginx/nginx.conf': nginxConfig(l),
    'nginx/fastcgi_params': FASTCGI_PARAMS,
    'nginx-capacity/nginx.conf': capacityNginxConfig(l),
    'php/fpm/php-fpm.conf': fpmMainConfig(l, 'fpm', 'php8.2-fpm.log'),
    'php/fpm/pool.d/busy.conf': pool(l, 'busy', 'listen.backlog = 1\npm = dynamic\npm.max_children = 1\npm.start_servers = 1\npm.min_spare_servers = 1\npm.max_spare_servers = 1\n'),
    'php/fpm/pool.d/exports.conf': pool(l, 'exports', 'pm = static\npm.max_children = 2\nrequest_terminate_timeout = 1s\n'),
    'php/fpm/pool.d/checkout.conf': pool(l, 'checkout', 'pm = static\npm.max_children = 1\nphp_admin_value[memory_limit] = 512M\n'),
    'php/fpm-refused/php-fpm.conf': fpmMainConfig(l, 'fpm-refused', 'php8.2-refused-fpm.log'),
    'php/fpm-refused/pool.d/shop.conf': pool(l, 'shop', 'pm = dynamic\npm.max_children = 5\npm.start_servers = 4\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n'),
    'www/index.php': '<?php echo "shop\\n";\n',
    'www/sleep.php': '<?php sleep(2); echo "slept\\n";\n',
    'www/export.php': '<?php sleep(3); echo "exported\\n";\n',
    'www/checkout.php': '<?php sleep(5); echo "paid\\n";\n',
  };
}

// ---- backends that misbehave on purpose ---------------------------------------------------------------

const okHandler: RequestListener = (_request, response) => response.end('ok\n');

const HTTP_BACKENDS: Partial<Record<PortName, RequestListener>> = {
  ok: okHandler,
  bigHeader: (_request, response) => {
    response.writeHead(200, { 'Set-Cookie': `session=${'a'.repeat(16 * 1024)}` });
    response.end('ok\n');
  },
  closeEarly: (request) => request.socket.destroy(),
  silent: () => {},
};

/** Backends that answer the first bytes of a request with raw (broken) HTTP. */
const RAW_BACKENDS: Partial<Record<PortName, (socket: Socket) => void>> = {
  invalidChunked: (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'),
  invalidHeader: (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nBroken Header Line\r\n\r\nok\n'),
  reset: (socket) => socket.resetAndDestroy(),
  truncated: (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 100\r\n\r\nonly ten b'),
};

/** A server in this test process, listening until stopped. */
class InProcessBackend implements Service {
  constructor(readonly name: string, private readonly server: Server, private readonly address: ListenOptions, private readonly mode?: number) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.address, resolve);
    });
    if (this.mode !== undefined && this.address.path) chmodSync(this.address.path, this.mode);
  }

  async stop(): Promise<void> {
    (this.server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function backends(folder: OriginFolder, port: Record<PortName, number>): Service[] {
  const onLoopback = (name: PortName) => ({ host: '127.0.0.1', port: port[name] });
  const list: Service[] = [];
  for (const [name, handler] of Object.entries(HTTP_BACKENDS) as Array<[PortName, RequestListener]>) {
    list.push(new InProcessBackend(name, createHttpServer(handler), onLoopback(name)));
  }
  for (const [name, answer] of Object.entries(RAW_BACKENDS) as Array<[PortName, (socket: Socket) => void]>) {
    list.push(new InProcessBackend(name, createNetServer((socket) => socket.once('data', () => answer(socket))), onLoopback(name)));
  }
  const tls = writeSelfSignedCertificate(folder, 'tls/backend');
  writeSelfSignedCertificate(folder, 'tls/other-ca');
  list.push(new InProcessBackend('tls', createHttpsServer({ cert: readFileSync(tls.certificate), key: readFileSync(tls.key) }, okHandler), onLoopback('tls')));
  // Root's socket, mode 0600: nginx's www-data workers may not connect.
  list.push(new InProcessBackend('private', createHttpServer(okHandler), { path: folder.path('run/app-private.sock') }, 0o600));
  return list;
}

// ---- the programs ------------------------------------------------------------------------------------

function nginx(folder: OriginFolder, dir: string, pidName: string): LabProcess {
  const pid = folder.path(`run/${pidName}.pid`);
  return new LabProcess({
    name: dir,
    command: 'nginx',
    // -e: nginx opens its built-in error log before reading the config; keep even that in the folder.
    args: ['-p', `${folder.path(dir)}/`, '-c', folder.path(`${dir}/nginx.conf`), '-e', folder.path(`log/${dir}-startup.log`), '-g', 'daemon off;'],
    output: new LogFile(folder.path(`log/${dir}.out`)),
    ready: () => existsSync(pid),
  });
}

function phpFpm(folder: OriginFolder): LabProcess {
  const log = new LogFile(folder.path('log/php8.2-fpm.log'));
  return new LabProcess({
    name: 'php-fpm',
    command: 'php-fpm8.2',
    // -R: pools switch to www-data; -n: PHP's built-in defaults, not this machine's php.ini.
    args: ['-F', '-R', '-n', '-y', folder.path('php/fpm/php-fpm.conf')],
    output: new LogFile(folder.path('log/php-fpm.out')),
    ready: () => log.text().includes('ready to handle connections'),
  });
}

/** php-fpm with the refused pool: it checks the config and exits with its errors in the log. */
function startRefusedFpm(folder: OriginFolder): void {
  const result = spawnSync('php-fpm8.2', ['-F', '-R', '-n', '-y', folder.path('php/fpm-refused/php-fpm.conf')], { encoding: 'utf8', timeout: 20_000 });
  assert.notEqual(result.status, 0, 'php-fpm should refuse the shop pool');
}

/** The pids of php-fpm's children serving `pool`, read from /proc. */
function poolChildren(pool: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(`php-fpm: pool ${pool}`);
    } catch {
      return false;
    }
  });
}

async function visit(port: number, scenario: CaptureScenario): Promise<void> {
  await burst({
    url: `http://127.0.0.1:${port}${scenario.path}`,
    requests: scenario.requests,
    concurrency: scenario.concurrency ?? 1,
    deadlineMs: 15_000,
    headers: { Host: `${scenario.name}.test` },
  });
}

/** The checkout child is killed mid-request, as the kernel's OOM killer would. */
async function visitAndKill(port: number, scenario: CaptureScenario): Promise<void> {
  const visiting = visit(port, scenario);
  await sleep(1000);
  for (const pid of poolChildren('checkout')) process.kill(pid, 'SIGKILL');
  await visiting;
}

/** Renames the temp folder `/srv/origin` and gives each port its fixed number. */
function neutralizer(root: string, port: Record<PortName, number>): (text: string) => string {
  const ports = (Object.keys(port) as PortName[]).map((name) => [`127.0.0.1:${port[name]}`, `127.0.0.1:${NEUTRAL_PORTS[name]}`] as const);
  return (text) => ports.reduce((t, [real, neutral]) => t.split(real).join(neutral), text.split(root).join(NEUTRAL_ROOT));
}

/** The logs worth keeping, by fixture name. */
function capturedLogs(folder: OriginFolder): string[] {
  return [...SCENARIOS.map((s) => `${s.name}.error.log`), 'capacity.error.log', 'php8.2-fpm.log', 'php8.2-refused-fpm.log']
    .filter((name) => existsSync(folder.path(`log/${name}`)));
}

test('real nginx and PHP-FPM write the log lines the error-log lens explains', { timeout: 120_000 }, async (t) => {
  const folder = OriginFolder.create('logs');
  const running: Service[] = [];
  t.after(async () => {
    for (const service of running.reverse()) await service.stop();
    folder.remove();
  });
  const port = await freePorts(Object.keys(NEUTRAL_PORTS) as PortName[]);
  const layout: Layout = { root: folder.root, port };
  for (const [path, text] of Object.entries(originFiles(layout))) folder.write(path, text);
  for (const dir of ['run/php', 'tmp']) folder.makeDir(dir);
  // Workers run as www-data and write nothing but their logs, which the master opens.
  chmodSync(folder.path('run/php'), 0o777);

  const start = async (service: Service) => {
    await service.start();
    running.push(service);
  };
  startRefusedFpm(folder);
  for (const backend of backends(folder, port)) await start(backend);
  await start(phpFpm(folder));
  const front = nginx(folder, 'nginx', 'nginx');
  await start(front);
  await Promise.all(SCENARIOS.map((s) => (s.name === 'checkout' ? visitAndKill(port.front, s) : visit(port.front, s))));
  await front.stop();
  running.splice(running.indexOf(front), 1);

  await start(nginx(folder, 'nginx-capacity', 'nginx-capacity'));
  await burst({ url: `http://127.0.0.1:${port.capacityFront}/`, requests: 4, concurrency: 4, deadlineMs: 10_000, headers: { Host: 'capacity.test' } });

  const neutral = neutralizer(folder.root, port);
  const logs = Object.fromEntries(capturedLogs(folder).map((name) => [name, neutral(folder.read(`log/${name}`))]));
  const configs = Object.fromEntries(Object.entries(originFiles(layout)).map(([path, text]) => [path, neutral(text)]));
  assert.deepEqual(configs, originFiles({ root: NEUTRAL_ROOT, port: { ...NEUTRAL_PORTS } }), 'the fixture configs are the ones that ran');

  if (process.env.ORIGIN_DOCTOR_WRITE_LOG_FIXTURES) writeFixtures(logs, configs);
  else assert.deepEqual(readFixtureOrigin(), configs, 'test/fixtures/logs/origin is stale: run with ORIGIN_DOCTOR_WRITE_LOG_FIXTURES=1');

  const expected = new Map<string, readonly string[]>([
    ...SCENARIOS.map((s) => [`${s.name}.error.log`, s.expect] as const),
    ['capacity.error.log', ['worker-connections']],
    ['php8.2-fpm.log', ['fpm-max-children-reached', 'fpm-execution-timeout', 'fpm-worker-killed']],
    ['php8.2-refused-fpm.log', ['fpm-config-error']],
  ]);
  for (const [name, causes] of expected) {
    const text = logs[name] ?? '';
    const found = explainLog(text, configs).map((c) => c.cause.id);
    for (const id of causes) assert.ok(found.includes(id), `${name} should show ${id}; it shows ${found.join(', ') || 'nothing'}:\n${text}`);
  }
});

function writeFixtures(logs: Record<string, string>, configs: Record<string, string>): void {
  for (const [name, text] of Object.entries(logs)) writeFixture(name, text);
  for (const [path, text] of Object.entries(configs)) writeFixture(`origin/${path}`, text);
}

function writeFixture(path: string, text: string): void {
  const target = join(FIXTURES, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
