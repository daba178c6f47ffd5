/**
 * fast-check generators of whole origins (nginx, PHP-FPM, cloudflared and sometimes a compose file, with the
 * settings they are read with) built to trigger the rules that offer quick fixes: each file is a skeleton of real
 * configuration with random choices among the values, directives and layouts the rules judge, next to one of the
 * repository's own origins (examples/, the cross-file fixtures) or none.
 */
import fc from 'fast-check';
import { CONTAINERS, DEBIAN } from '../cross-file/fixtures';
import { EXAMPLE } from './arbitraries';

export interface Origin {
  files: Record<string, string>;
  settings: Record<string, unknown>;
}

/** Lines of a block: the header with `{`, the body indented one level more, `}`. */
function block(header: string, body: readonly string[]): string[] {
  return [`${header} {`, ...body.flatMap((piece) => piece.split('\n')).map((line) => `    ${line}`), '}'];
}

/**
 * A file as editors save it: LF or CRLF throughout, sometimes after a byte order mark. Lone CRs and mixed line ends
 * are for the parsers' robustness tests: the YAML parser ends no line at a lone CR where LSP positions do, so a fix's
 * line-based edits cannot be judged there.
 */
function asSaved(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([body, lineBreak, bom]) => `${bom ? '\uFEFF' : ''}${body.replace(/\n/g, lineBreak)}`);
}

/** True now and then (one time in four). */
const rarely = fc.nat(3).map((n) => n === 0);

/** Up to `max` distinct entries of `pool`, in the pool's order. */
function some<T>(pool: readonly T[], max = 3): fc.Arbitrary<T[]> {
  return fc.subarray([...pool], { maxLength: max });
}

// ---- nginx ------------------------------------------------------------------------------------------------------

/** The upstream most passes name, with keepalive for the HTTP/1.1 rule; always defined. */
const APP_UPSTREAM = block('upstream app', ['server 127.0.0.1:3000;', 'keepalive 16;']);

/** Other upstream blocks: localhost, a named TLS backend with keepalive, two PHP-FPM addresses. */
const UPSTREAMS = [
  block('upstream api_backend', ['server localhost:3000;', 'server 10.0.0.2:80;']),
  block('upstream secure', ['server api.example.com;', 'keepalive 8;']),
  block('upstream php', ['server unix:/run/php/php-fpm.sock;', 'server 127.0.0.1:9001;', 'keepalive 4;']),
];

/**
 * Pass targets, in three groups: to the upstreams (right, misspelt, with a port); straight to a backend
 * (localhost, quoted too, TLS to port 80 and plain HTTP to 443, names and variables resolved per request); to PHP-FPM.
 */
const PASS = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom('proxy_pass http://app;', 'proxy_pass https://secure;', 'proxy_pass http://app:8080;', 'proxy_pass http://ap;',
      'proxy_pass https://api_backend;', 'proxy_pass http://api_backend;'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('proxy_pass http://localhost:3000/;', 'proxy_pass "http://localhost:3000";', 'proxy_pass https://api.example.com;', 'proxy_pass https://api.example.com:80;',
      'proxy_pass http://127.0.0.1:443;', 'proxy_pass http://backend;', 'proxy_pass http://$backend_host:8080;', 'proxy_pass http://$host$request_uri;',
      'grpc_pass grpcs://grpc.example.com;'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('fastcgi_pass unix:/run/php/php8.2-fpm.sock;', 'fastcgi_pass unix:/run/php/php-fpm.sock;', 'fastcgi_pass 127.0.0.1:9000;',
      'fastcgi_pass php;', 'fastcgi_pass php_pol;', 'fastcgi_pass localhost:9000;'),
  },
);

/**
 * What a location may add: timeouts past Cloudflare's, HTTP/1.0, small or contradicting buffers, gzip, SNI, typos, a
 * missing `;`, passes and a typo in an `if` (which allows few directives), a comment after a directive, and a pass
 * under a comment that silences another rule.
 */
const LOCATION_LINES = [
  'proxy_read_timeout 300s; # slow reports', 'fastcgi_read_timeout "600";', 'proxy_http_version 1.0;', 'proxy_http_version 1.1;',
  'proxy_set_header Connection "";', 'proxy_set_header Host $host;', 'proxy_buffer_size 4k;', 'proxy_buffers 8 4k;',
  'proxy_busy_buffers_size 64k;', 'fastcgi_buffer_size 2k;', 'fastcgi_buffers 2 4k;', 'fastcgi_keep_conn on;',
  'add_header Content-Length 1024;', 'gzip on;', 'gzip_static always;', 'gunzip off;', 'proxy_ssl_server_name off;',
  'porxy_read_timeout 30s;', 'fastcgi_parm SCRIPT_FILENAME $document_root$fastcgi_script_name;', 'include fastcgi_params;',
  'root /var/www/html\nindex index.php;', ...['proxy_pass http://app;', 'proxy_pass https://api.example.com;', 'fastcgi_pass 127.0.0.1:9000;',
    'porxy_read_timeout 30s;'].map((line) => block('if ($request_method = POST)', [line]).join('\n')),
  '# origin-doctor-disable-next-line nginx/proxy-pass-localhost\nproxy_pass https://localhost:80;',
];

/** What a server may add; `server_name` lacks its `;` before the next directive. */
const SERVER_LINES = [
  'http2 off;', 'proxy_http_version 1.1;', 'proxy_set_header Host $host;', 'set $backend_host api.internal;', 'gzip on;',
  'fastcgi_read_timeout 2m;', 'server_name shop.example.com', 'clinet_max_body_size 8m;',
];

const LISTENS = ['listen 80;', 'listen 443 ssl;', 'listen 443 ssl http2;', 'listen [::]:443 ssl http2;', 'listen 8080;', 'listen 8443 ssl;'];

/** A block, or the same on one line (comments left out: they would end it), where fixes must insert on that line. */
function layout(header: string, pieces: readonly string[], oneLine: boolean): string {
  if (!oneLine) return block(header, pieces).join('\n');
  return block(header, pieces.filter((piece) => !piece.includes('#'))).map((line) => line.trim()).join(' ');
}

const location = fc
  .tuple(fc.constantFrom('/', '/api/', '~ \\.php$'), PASS, some(LOCATION_LINES, 4), fc.boolean())
  .map(([path, pass, pieces, oneLine]) => layout(`location ${path}`, [pass, ...pieces], oneLine));

const server = fc
  .tuple(some(LISTENS, 3), some(SERVER_LINES, 2), fc.array(location, { minLength: 1, maxLength: 3 }), rarely)
  .map(([listens, lines, locations, oneLine]) => layout('server', [...listens, ...lines, ...locations], oneLine));

const HTTP_LINES = [
  'gzip on;', 'resolver 127.0.0.11 valid=30s;', 'proxy_read_timeout 600s;', 'proxy_buffer_size 4k;', 'proxy_ssl_server_name off;',
  'proxy_http_version 1.0;', 'proxy_set_header X-Real-IP $remote_addr;', 'client_max_body_szie 20m;', 'gunzip off;',
];

/** A main config including the site files, with the worker settings and http-level directives the rules judge. */
const nginxMain = fc
  .record({
    user: fc.constantFrom('', 'user www-data;', 'user nginx;', 'user nobody www-data;'),
    processes: fc.constantFrom('worker_processes 1;', 'worker_processes auto;'),
    rlimit: fc.constantFrom('', 'worker_rlimit_nofile 256;', 'worker_rlimit_nofile 65535;'),
    connections: fc.constantFrom('256', '768', '4096'),
    http: some(HTTP_LINES, 3),
    upstreams: some(UPSTREAMS, 2),
  })
  .map((m) => {
    const http = [...m.http, ...[APP_UPSTREAM, ...m.upstreams].map((lines) => lines.join('\n')), 'include sites-enabled/*.conf;'];
    const main = [m.user, m.processes, m.rlimit, ...block('events', [`worker_connections ${m.connections};`]), ...block('http', http), ''];
    return main.filter((line, i) => line !== '' || i === main.length - 1).join('\n');
  });

/** nginx text indented with four spaces, or with tabs. */
function indented(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.boolean()).map(([body, tabs]) => (tabs ? body.replace(/^(?: {4})+/gm, (spaces) => '\t'.repeat(spaces.length / 4)) : body));
}

const nginxSite = fc.array(server, { minLength: 1, maxLength: 2 }).map((servers) => `${servers.join('\n\n')}\n`);

/** A snippet no config includes, so its context is inferred from its content: a location's pass and settings. */
const nginxSnippet = fc.tuple(PASS, some(LOCATION_LINES, 3)).map(([pass, lines]) => `${[pass, ...lines].join('\n')}\n`);

// ---- PHP-FPM ----------------------------------------------------------------------------------------------------

/** `key = value` lines of a pool, each present or not: its socket, sizes, timeouts and PHP values, some quoted. */
const POOL_SETTINGS: Record<string, readonly string[]> = {
  user: ['www-data'],
  'listen.owner': ['www-data', 'nobody', 'root'],
  'listen.group': ['www-data', 'root'],
  'listen.mode': ['0660', '0600', '0666'],
  'listen.acl_users': ['apache'],
  'listen.backlog': ['64', '511', '"100"'],
  pm: ['dynamic', 'ondemand', 'static'],
  'pm.max_children': ['0', '5', '40', '200', '5 ; the sample value'],
  'pm.start_servers': ['2', '20'],
  'pm.min_spare_servers': ['1', '0', '10'],
  'pm.max_spare_servers': ['3', '0', '60'],
  'pm.max_requests': ['0', '500'],
  request_terminate_timeout: ['30s', '0', '300', '"20s"'],
  'php_admin_value[max_execution_time]': ['60', '600'],
  'php_flag[zlib.output_compression]': ['on'],
  'php_value[zlib.output_compression]': ['4096'],
};

/**
 * Lines php-fpm refuses or misreads, a few per pool: a `#` comment, misspelt keys, a key on access.suppress_path[],
 * values out of range, paths and logs pm-invalid judges; and a short backlog under a comment that silences another rule.
 */
const POOL_MISTAKES = [
  '# a comment php-fpm refuses', 'pm.max_request = 500', 'listen.ower = www-data', 'access.suppress_path[x] = /ping',
  'process.priority = 30', 'pm.max_spawn_rate = 0', 'pm.process_idle_timeout = 0s', 'ping.path = ping\nping.response =',
  'pm.status_path = /status page', 'request_slowlog_trace_depth = -1', 'slowlog =\nrequest_slowlog_timeout = 600s',
  '; origin-doctor-disable-next-line php-fpm/invalid-value\nlisten.backlog = 32',
];

/** One of POOL_SETTINGS: absent half the time, else `[key, value]`. */
const poolSetting = ([key, values]: [string, readonly string[]]) =>
  fc.option(fc.constantFrom(...values).map((value): [string, string] => [key, value]), { nil: undefined, freq: 2 });

/** A pool file: its header, its listen, the settings chosen, written `key = value` or `key=value`, and some mistakes. */
const pool = fc
  .record({
    name: fc.constantFrom('www', 'api'),
    listen: fc.constantFrom('/run/php/php8.2-fpm.sock', '/run/php/php-fpm.sock', '127.0.0.1:9000', '9001'),
    settings: fc.tuple(...Object.entries(POOL_SETTINGS).map(poolSetting)),
    separator: fc.constantFrom(' = ', '='),
    mistakes: some(POOL_MISTAKES, 3),
  })
  .map((p) => {
    const settings = p.settings.flatMap((setting) => (setting ? [setting.join(p.separator)] : []));
    return [`[${p.name}]`, `listen = ${p.listen}`, ...settings, ...p.mistakes, ''].join('\n');
  });

/** Sometimes a master config: `[global]` with a mechanism ondemand cannot use, including the pools. */
const fpmMaster = fc.constantFrom(undefined, '[global]\nevents.mechanism = poll\ninclude = /g/php-fpm/pool.d/*.conf\n');

// ---- cloudflared ------------------------------------------------------------------------------------------------

/**
 * Names cloudflared refuses (a port, a scheme) or never matches (a bare `*`, capitals it compares as written), some
 * quoted, one with an escape.
 */
const HOSTNAMES = [
  'shop.example.com', '"*example.com"', '"*Shop.example.com"', 'Shop_Site.example.com', 'api.example.com:8443', 'https://api.example.com',
  "'*.example.com'", '"*Shop\\x2Eexample.com"',
];

/** Services nginx listens on and does not, TLS on 80 and plain on 443, localhost, no scheme, a path, a misspelt word. */
const SERVICES = [
  'http://127.0.0.1:80', 'http://localhost:80', 'https://localhost:443', 'localhost:8000', '127.0.0.1:8080', 'http://127.0.0.1:8080/app/',
  'hello_wrld', 'http://127.0.0.1:443', 'https://127.0.0.1:80', 'https://127.0.0.1:8080', 'http://127.0.0.1:8443', 'https://10.0.0.5',
  'http://127.0.0.1:8081', 'unix:/run/nginx.sock', '"http://localhost:3000"', "'https://127.0.0.1:443'", 'https://localhost:8080',
  'http://localhost:8443',
];

/** originRequest keys: short timeouts, a timeout without unit, h2 in cleartext, quoted booleans and numbers, a typo. */
const ORIGIN_REQUEST_KEYS = [
  'connectTimeout: 2s', 'connectTimeout: 30', 'tlsTimeout: 1s', 'http2Origin: true', 'noTLSVerify: "true"', 'noTLSVerify: false',
  'conectTimeout: 10s', 'keepAliveConnections: "100"', 'originServerName: shop.example.com',
];

/** A top-level map for rules to reuse, which cloudflared ignores as an unknown key. */
const SHARED_ORIGIN_REQUEST = ['x-defaults: &defaults', '  connectTimeout: 2s', '  http2Origin: true'];

/**
 * How a rule writes its originRequest: a block map, a flow map, the shared map as an alias or merged into its own
 * (those two fall back to a block map when the config has no shared map).
 */
type OriginRequestStyle = 'block' | 'flow' | 'alias' | 'merge';

interface IngressRule {
  hostname?: string;
  service: string;
  originRequest: string[];
  style: OriginRequestStyle;
  /** `- { hostname: …, service: … }`. */
  flowItem: boolean;
  /** A comment above the service silencing another rule, for "Disable … for this line" to extend. */
  disabled: boolean;
  /** A comment after the service (block style only: in a flow map it would swallow the rest of the line). */
  noted: boolean;
}

const ingressRule: fc.Arbitrary<IngressRule> = fc.record({
  hostname: fc.option(fc.constantFrom(...HOSTNAMES), { nil: undefined }),
  service: fc.constantFrom(...SERVICES),
  originRequest: some(ORIGIN_REQUEST_KEYS, 2),
  style: fc.constantFrom<OriginRequestStyle>('block', 'flow', 'alias', 'merge'),
  flowItem: fc.boolean(),
  disabled: fc.boolean(),
  noted: rarely,
});

/** `hostname: …` when the rule has one, and `service: …`. */
function ruleKeys(rule: IngressRule): string[] {
  return [...(rule.hostname ? [`hostname: ${rule.hostname}`] : []), `service: ${rule.service}`];
}

/** A rule as a flow map: `{ hostname: …, service: …, originRequest: { … } }`. */
function flowRule(rule: IngressRule, shared: boolean): string {
  const own = rule.originRequest;
  const originRequest = shared && rule.style === 'alias' ? ['originRequest: *defaults'] : own.length > 0 ? [`originRequest: { ${own.join(', ')} }`] : [];
  return `{ ${[...ruleKeys(rule), ...originRequest].join(', ')} }`;
}

/** A rule's lines in a block list, without the list's indentation, `- ` first. */
function blockRule(rule: IngressRule, shared: boolean): string[] {
  if (rule.flowItem) return [`- ${flowRule(rule, shared)}`];
  const keys = ruleKeys(rule).map((key) => (rule.noted && key.startsWith('service:') ? `${key} # the origin` : key));
  if (rule.disabled && rule.hostname) keys.splice(1, 0, '# origin-doctor-disable-next-line cloudflared/credentials-missing');
  const style = shared || rule.style === 'block' || rule.style === 'flow' ? rule.style : 'block';
  const own = rule.originRequest;
  const originRequest = style === 'alias' ? ['originRequest: *defaults']
    : style === 'merge' ? ['originRequest:', '  <<: *defaults', ...own.map((key) => `  ${key}`)]
      : own.length === 0 ? []
        : style === 'flow' ? [`originRequest: { ${own.join(', ')} }`] : ['originRequest:', ...own.map((key) => `  ${key}`)];
  return [...keys, ...originRequest].map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`));
}

const CATCH_ALL: IngressRule = { service: 'http_status:404', originRequest: [], style: 'block', flowItem: false, disabled: false, noted: false };

/**
 * The ingress list, in block style or now and then as one flow list, with the catch-all rule at the end, missing,
 * first (before the other rules) or both first and last.
 */
const cloudflared = fc
  .record({
    credentials: fc.boolean(),
    protocol: fc.constantFrom('', 'protocol: quick', 'protocol: http2'),
    topLevel: some(['http2Origin: true', 'connectTimeout: 30', 'noTLSVerify: "true"'], 2),
    shared: fc.boolean(),
    rules: fc.array(ingressRule, { minLength: 1, maxLength: 4 }),
    catchAll: fc.constantFrom('last', 'missing', 'first', 'first and last'),
    flowList: rarely,
    documentMarker: rarely,
  })
  .map((c) => {
    const rules = [...(c.catchAll.startsWith('first') ? [CATCH_ALL] : []), ...c.rules, ...(c.catchAll.endsWith('last') ? [CATCH_ALL] : [])];
    const ingress = c.flowList
      ? ['ingress: [', rules.map((rule) => `  ${flowRule(rule, c.shared)}`).join(',\n'), ']']
      : ['ingress:', ...rules.flatMap((rule) => blockRule(rule, c.shared)).map((line) => `  ${line}`)];
    return [
      ...(c.documentMarker ? ['---'] : []),
      'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef',
      ...(c.credentials ? ['credentials-file: /etc/cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json'] : []),
      ...(c.protocol ? [c.protocol] : []),
      ...(c.shared ? SHARED_ORIGIN_REQUEST : []),
      ...(c.topLevel.length > 0 ? ['originRequest:', ...c.topLevel.map((line) => `  ${line}`)] : []),
      ...ingress, '',
    ].join('\n');
  });

/** cloudflared in a container with this config mounted, next to a web server publishing port 8000 or 80. */
const compose = fc.constantFrom('8000', '80').map((port) => [
  'services:', '  web:', '    image: nginx:1.27', '    ports:', `      - "${port}:80"`, '  tunnel:', '    image: cloudflare/cloudflared:2025.1.0',
  '    command: tunnel --no-autoupdate run', '    volumes:', '      - ./cloudflared:/etc/cloudflared', ''].join('\n'));

// ---- the origin -------------------------------------------------------------------------------------------------

/** The repository's own origins, one of which lies next to the generated one (under other folders) half the time. */
const NEIGHBOURS: ReadonlyArray<Record<string, string>> = [
  {
    '/f/nginx/nginx.conf': EXAMPLE.nginxMain,
    '/f/nginx/sites-enabled/shop.conf': EXAMPLE.nginxSite,
    '/f/php-fpm/pool.d/www.conf': EXAMPLE.fpmPool,
    '/f/cloudflared/config.yml': EXAMPLE.cloudflared,
  },
  DEBIAN,
  CONTAINERS,
];

/** An origin under /g/, with settings that decide some rules: nginx's version, the machine's memory. */
export const fixableOrigin: fc.Arbitrary<Origin> = fc
  .record({
    neighbours: fc.oneof(fc.constant({}), fc.constantFrom(...NEIGHBOURS)),
    main: asSaved(indented(nginxMain)),
    site: asSaved(indented(nginxSite)),
    snippet: fc.option(asSaved(nginxSnippet), { nil: undefined }),
    pools: fc.array(asSaved(pool), { minLength: 1, maxLength: 2 }),
    master: fpmMaster,
    tunnel: asSaved(cloudflared),
    compose: fc.option(compose, { nil: undefined }),
    version: fc.constantFrom('1.22.1', '1.26.3', '1.29.7'),
    memoryMB: fc.constantFrom(undefined, 2048, 16384),
  })
  .map((o) => ({
    files: {
      ...o.neighbours,
      '/g/nginx/nginx.conf': o.main,
      '/g/nginx/sites-enabled/site.conf': o.site,
      ...(o.snippet ? { '/g/nginx/snippets/proxy.conf': o.snippet } : {}),
      ...Object.fromEntries(o.pools.map((text, i) => [`/g/php-fpm/pool.d/pool${i}.conf`, text])),
      ...(o.master ? { '/g/php-fpm/php-fpm.conf': o.master } : {}),
      '/g/cloudflared/config.yml': o.tunnel,
      ...(o.compose ? { '/g/docker-compose.yml': o.compose } : {}),
    },
    settings: { nginx: { version: o.version }, server: { memoryMB: o.memoryMB } },
  }));
