/**
 * fast-check generators of configuration text for the robustness properties: any UTF-16 at all, token sequences
 * of each format, configs built from each format's grammar, and the examples damaged by a few edits; each with
 * LF, CRLF, lone CR or mixed line ends and sometimes a byte order mark.
 *
 * Start with `nginxText`, `fpmText`, `cloudflaredText`, `composeText` (a mix of everything for one format), `anyText`,
 * or `coherentOrigin` (the five files of one origin that refer to each other, for the engine's cross-file rules); the
 * parts they are built from are exported for properties that need one kind of input only.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOUDFLARED_KEYS } from '../../../server/src/reference/cloudflared';
import { FPM_DIRECTIVES } from '../../../server/src/reference/phpfpm';

/** The line ends a document may use; a lone CR ends a line for LSP too. */
export const LINE_BREAKS = ['\n', '\r\n', '\r'] as const;

/**
 * Characters that break naive code: a lone high and a lone low surrogate, a paired one (😀), a byte order mark
 * inside the text, NUL, a combining accent, a right-to-left letter, a letter beyond U+FFFF, non-ASCII letters, the
 * line separator (a line break to JavaScript's regular expressions, not to LSP) and a no-break space.
 */
/** Names every object inherits: a table of known names kept in a plain object would "know" them too. */
const INHERITED_NAMES = ['constructor', '__proto__', 'toString'];

const AWKWARD_CHARACTERS = ['\uD800', '\uDFFF', '😀', '\uFEFF', '\0', 'e\u0301', 'ש', '𝔸', 'é', 'ñ', '服', '\u2028', '\u00A0'];

/** One UTF-16 unit of any value (lone surrogates included), one code point of any plane, or an awkward character. */
const anyCharacter: fc.Arbitrary<string> = fc.oneof(
  fc.char16bits(),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom(...AWKWARD_CHARACTERS, ...LINE_BREAKS, '\t', ' '),
);

/** Any UTF-16 string: full unicode, lone and paired surrogates, control characters and line breaks. */
export function anyUnicodeText(maxLength = 200): fc.Arbitrary<string> {
  return fc.string({ unit: anyCharacter, maxLength });
}

/**
 * `body` with every `\n` replaced by a line end: all LF, all CRLF, all CR, or a mix cycling through several;
 * sometimes with a UTF-8 byte order mark first (U+FEFF, as Node's UTF-8 decoding keeps it when the CLI reads a file).
 */
export function withLineEnds(body: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(body, fc.array(fc.constantFrom(...LINE_BREAKS), { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([text, breaks, bom]) => {
      const lines = text.split('\n');
      const joined = lines.reduce((out, line, i) => (i === 0 ? line : out + breaks[(i - 1) % breaks.length] + line), '');
      return bom ? `\uFEFF${joined}` : joined;
    });
}

/** Tokens of `tokens` (now and then a few arbitrary characters instead) joined without separators. */
export function tokenSoup(tokens: readonly string[], maxTokens = 60): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: anyUnicodeText(3) });
  return fc.array(piece, { maxLength: maxTokens }).map((pieces) => pieces.join(''));
}

/** One edit of a text: delete the character at a place, double it, or insert a token there. */
type Edit = readonly [place: number, kind: 'delete' | 'double' | 'insert', token: string];

/**
 * A text from `texts` with up to `maxEdits` characters deleted, doubled or tokens inserted at random places (in UTF-16
 * units, so an edit may split a surrogate pair or a CRLF, as a careless editor could).
 */
export function damaged(texts: fc.Arbitrary<string>, tokens: readonly string[], maxEdits = 4): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.constantFrom('delete' as const, 'double' as const, 'insert' as const), fc.constantFrom(...tokens));
  return fc.tuple(texts, fc.array(edit, { maxLength: maxEdits })).map(([text, edits]) => edits.reduce(applyEdit, text));
}

function applyEdit(text: string, [place, kind, token]: Edit): string {
  const at = place % (text.length + 1);
  if (kind === 'delete') return text.slice(0, at) + text.slice(at + 1);
  if (kind === 'double') return text.slice(0, at) + text.charAt(at) + text.slice(at);
  return text.slice(0, at) + token + text.slice(at);
}

/** `count` lines made by `line(i)`, joined: the large deterministic inputs. */
export function linesOf(count: number, line: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => line(i)).join('');
}

// ---- the examples -----------------------------------------------------------------------------------------------

/** `examples/` of the repository (this file runs from out/test/unit/robustness/). */
const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples');

/** The example origin: an nginx main config including a site, a PHP-FPM pool and a cloudflared tunnel. */
export const EXAMPLE = {
  nginxMain: readFileSync(join(EXAMPLES, 'nginx', 'nginx.conf'), 'utf8'),
  nginxSite: readFileSync(join(EXAMPLES, 'nginx', 'sites-enabled', 'shop.conf'), 'utf8'),
  fpmPool: readFileSync(join(EXAMPLES, 'php-fpm', 'pool.d', 'www.conf'), 'utf8'),
  cloudflared: readFileSync(join(EXAMPLES, 'cloudflared', 'config.yml'), 'utf8'),
};

// ---- nginx ------------------------------------------------------------------------------------------------------

/** Pieces of nginx's lexer and grammar: braces, `;`, quotes, escapes, variables, comments, raw Lua blocks. */
export const NGINX_TOKENS: readonly string[] = [
  'server', 'location', 'http', 'events', 'upstream', 'map', 'types', 'if', 'content_by_lua_block', 'proxy_pass', 'fastcgi_pass',
  'listen', 'include', 'keepalive', 'server_name', 'resolver', 'set', 'return', 'gzip', 'worker_connections',
  '{', '}', ';', '"', "'", '\\', '${x}', '$host', '$', '#', '# note\n', ' ', '\t', '\n', '\r\n', '\r', '\\\r\n',
  'http://localhost:80', 'https://api_backend:80', 'unix:/run/php/php8.2-fpm.sock', '127.0.0.1:9000', '443 ssl', 'http2',
  '*.conf', '/', '~', '\\.php$', '(', ')', '"a b"', "'a;b'", '"\\""', '{}', ';;', 'ñame', '服务器', 'constructor://h', ...INHERITED_NAMES, ...AWKWARD_CHARACTERS,
];

/** Directives the nginx rules look at, with values they judge. */
const NGINX_SIMPLE_DIRECTIVES = [
  'listen 80;', 'listen 443 ssl http2;', 'listen 127.0.0.1:8080;', 'listen unix:/run/nginx.sock;', 'server_name shop.example.com;',
  'proxy_pass http://localhost:3000;', 'proxy_pass https://api_backend;', 'proxy_pass http://$host$uri;', 'proxy_pass https://api.example.com:80;',
  'fastcgi_pass unix:/run/php/php8.2-fpm.sock;', 'fastcgi_pass 127.0.0.1:9000;', 'fastcgi_pass php_pool;', 'keepalive 16;',
  'server 127.0.0.1:3000;', 'server 127.0.0.1:3000 down;', 'server localhost:9000 backup;', 'proxy_read_timeout 300s;',
  'fastcgi_read_timeout 1h;', 'proxy_buffer_size 1k;', 'proxy_buffers 4 2k;', 'proxy_busy_buffers_size 64k;', 'gzip on;',
  'resolver 1.1.1.1 valid=30s;', 'proxy_http_version 1.1;', 'proxy_set_header Connection "";', 'proxy_ssl_server_name on;',
  'worker_connections 10;', 'worker_processes 1;', 'include sites-enabled/*.conf;', 'include missing.conf;', 'include fastcgi_params;',
  'client_max_body_szie 1m;', 'set $target "${host}";', 'return 200 "ok";', 'add_header Content-Length 0;', 'user www-data;',
  'ssl_certificate /etc/ssl/a.pem;', 'default_type text/plain;', 'text/html html;', '~^/a 1;', 'default 0;',
  'proxy_pass constructor://h:443;', 'constructor 1;',
];

const NGINX_BLOCK_HEADS = [
  'http', 'events', 'server', 'location /', 'location ~ \\.php$', 'location /api/', 'upstream api_backend', 'upstream php_pool',
  'map $uri $target', 'types', 'if ($request_method = POST)', 'stream', 'server_ün', 'constructor',
];

/** One nginx directive or block of real directives, nested a few levels deep, one directive per line. */
const nginxStatement = fc.letrec<{ directive: string; block: string }>((tie) => ({
  directive: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NGINX_SIMPLE_DIRECTIVES),
    tie('block'),
    fc.constantFrom('content_by_lua_block { ngx.say("}") }', '# origin-doctor-disable-next-line', '# origin-doctor-disable-next-line nginx/unknown-directive'),
  ),
  block: fc
    .tuple(fc.constantFrom(...NGINX_BLOCK_HEADS), fc.array(tie('directive'), { maxLength: 5 }))
    .map(([head, children]) => `${head} {\n${children.join('\n')}\n}`),
})).directive;

/** nginx configs built from real directives and blocks. */
export const nginxStructured: fc.Arbitrary<string> = fc.array(nginxStatement, { maxLength: 4 }).map((statements) => statements.join('\n'));

/** Any nginx-ish text: token soup, built configs, the examples damaged, or arbitrary unicode; any line ends. */
export const nginxText: fc.Arbitrary<string> = withLineEnds(
  fc.oneof(
    tokenSoup(NGINX_TOKENS),
    nginxStructured,
    damaged(fc.constantFrom(EXAMPLE.nginxMain, EXAMPLE.nginxSite), NGINX_TOKENS),
    damaged(nginxStructured, NGINX_TOKENS),
    anyUnicodeText(),
  ),
);

// ---- PHP-FPM ----------------------------------------------------------------------------------------------------

/** Pieces of PHP's ini scanner: sections, `key = value`, array keys, quotes, `${VAR}`, operators, reserved words. */
export const FPM_TOKENS: readonly string[] = [
  '[www]', '[global]', '[', ']', 'pm', 'pm.max_children', 'listen', 'listen.owner', 'request_terminate_timeout', 'include',
  'php_admin_value[memory_limit]', 'php_value[', 'env[PATH]', ' = ', '=', '5', '0', '-1', '128M', '30s', 'dynamic', 'ondemand',
  '/run/php/php8.2-fpm.sock', '127.0.0.1:9000', '$pool', '${PORT}', '${', '}', ';', '; note', '#', '"', "'", '\\',
  '&', '|', '^', '~', '!', '(', ')', 'yes', 'no', 'null', 'E_ALL', ' ', '\t', '\n', '\r\n', '\r', '池', ...INHERITED_NAMES, ...AWKWARD_CHARACTERS,
];

/** Every key php-fpm knows, array ones with a key in brackets. */
const FPM_KEYS = FPM_DIRECTIVES.map((d) => (d.form === 'array' ? `${d.name}[memory_limit]` : d.name));

const FPM_VALUES = [
  '5', '0', '-1', '1.5', '0x10', '99999999999999999999', '128M', '30s', '1h', '2d', 'dynamic', 'static', 'ondemand', 'www-data',
  '0660', '/run/php/php8.2-fpm.sock', '127.0.0.1:9000', '9000', '[::]:9000', 'yes', 'Off', '"quoted value"', "'raw'", '""', "''",
  '${PORT}', '/var/log/$pool.log', 'E_ALL & ~E_NOTICE', '(1 | 2)', '', 'a=b', '"unclosed', 'ñ',
];

const fpmLine = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(fc.constantFrom(...FPM_KEYS), fc.constantFrom(' = ', '=', ' =', '\t=\t'), fc.constantFrom(...FPM_VALUES)).map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.constantFrom('[www]', '[global]', '[shop]', '  [www]', '[pool ü]', '[www', '[]') },
  { weight: 1, arbitrary: fc.constantFrom('; comment', '# hash comment', '', '   ', '; origin-doctor-disable-next-line', 'key', '= value') },
);

/** PHP-FPM files built from php-fpm's own keys and typical values, one entry per line. */
export const fpmStructured: fc.Arbitrary<string> = fc.array(fpmLine, { maxLength: 25 }).map((lines) => lines.join('\n'));

/** Any PHP-FPM-ish text: token soup, built files, the example pool damaged, or arbitrary unicode; any line ends. */
export const fpmText: fc.Arbitrary<string> = withLineEnds(
  fc.oneof(tokenSoup(FPM_TOKENS), fpmStructured, damaged(fc.constant(EXAMPLE.fpmPool), FPM_TOKENS), damaged(fpmStructured, FPM_TOKENS), anyUnicodeText()),
);

// ---- YAML: cloudflared and compose ------------------------------------------------------------------------------

/** Pieces of YAML: indentation, `- ` items, flow collections, quotes, block scalars, anchors, aliases, merges, tags. */
export const YAML_TOKENS: readonly string[] = [
  ':', ': ', '- ', '-', ' ', '  ', '\t', '\n', '\n  ', '\n    ', '\n  - ', '\n      ', '\r\n', '\r', '{', '}', '[', ']', ',', '"', "'",
  '|', '>', '|-', '#', '# note', '---', '...', '&a ', '*a', '<<: *a', '&b ', '*b', '? ', '!!str ', '!!map ', '%YAML 1.2\n', '~',
  'null', 'true', '0x1F', '1e3', '30s', ...AWKWARD_CHARACTERS,
];

/** YAML's pieces and cloudflared's keys and values. */
export const CLOUDFLARED_TOKENS: readonly string[] = [
  ...YAML_TOKENS, 'tunnel:', 'ingress:', 'credentials-file:', 'originRequest:', 'connectTimeout:', 'noTLSVerify:', 'http2Origin:',
  'warp-routing:', 'hostname:', 'service:', 'path:', 'http://127.0.0.1:80', 'https://localhost:443', 'http_status:404',
  'unix:/run/nginx.sock', '*.example.com', '"*.example.com"', 'shop.example.com', ...INHERITED_NAMES,
];

const CLOUDFLARED_HOSTNAMES = [
  'shop.example.com', '"*.example.com"', '*.example.com', 'a*b.example.com', 'bücher.example', 'shop.example.com:443', '""', 'localhost',
];
const CLOUDFLARED_SERVICES = [
  'http://127.0.0.1:80', 'https://127.0.0.1:443', 'http://localhost:443', 'https://localhost:80', 'http_status:404', 'http_status:99',
  'hello_world', 'unix:/run/nginx.sock', 'unix+tls:/run/x.sock', 'ssh://localhost:22', 'tcp://db:5432', 'http://nginx',
  'https://shop.example.com', 'bastion', 'htp://x', 'http://[::1]:8080', 'http://127.0.0.1:99999', 'http://127.0.0.1:80/path',
  'constructor://127.0.0.1:443',
];
const CLOUDFLARED_PATHS = ['^/api', '(', '\\.php$', '"[a-"', '/x', '"\\\\"'];
const CLOUDFLARED_VALUES = ['30s', '1s', '0', '1m30s', 'true', 'false', '"30"', '100', 'abc', '[a, b]', '{a: 1}', '', '*a', '&a 5s', '- x', '1constructor', 'constructor'];

const cloudflaredSetting = (level: keyof typeof CLOUDFLARED_KEYS, indent: string) =>
  fc.tuple(fc.constantFrom(...CLOUDFLARED_KEYS[level].map((k) => k.name), 'unknownKey'), fc.constantFrom(...CLOUDFLARED_VALUES))
    .map(([key, value]) => `${indent}${key}: ${value}`);

const ingressRule = fc
  .record({
    hostname: fc.option(fc.constantFrom(...CLOUDFLARED_HOSTNAMES)),
    path: fc.option(fc.constantFrom(...CLOUDFLARED_PATHS), { freq: 4 }),
    service: fc.option(fc.constantFrom(...CLOUDFLARED_SERVICES), { freq: 8 }),
    originRequest: fc.array(cloudflaredSetting('originRequest', '      '), { maxLength: 3 }),
  })
  .map(({ hostname, path, service, originRequest }) => {
    const keys = [hostname === null ? null : `hostname: ${hostname}`, path === null ? null : `path: ${path}`, service === null ? null : `service: ${service}`];
    const lines = keys.filter((line): line is string => line !== null);
    if (originRequest.length > 0) lines.push(`originRequest:\n${originRequest.join('\n')}`);
    return `  - ${lines.length > 0 ? lines.join('\n    ') : '{}'}`;
  });

/** cloudflared configs with a tunnel, settings at each level, and ingress rules, valid and not. */
export const cloudflaredStructured: fc.Arbitrary<string> = fc
  .record({
    topLevel: fc.array(cloudflaredSetting('top-level', ''), { maxLength: 3 }),
    originRequest: fc.array(cloudflaredSetting('originRequest', '  '), { maxLength: 3 }),
    ingress: fc.array(ingressRule, { maxLength: 5 }),
  })
  .map(({ topLevel, originRequest, ingress }) => [
    'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef',
    ...topLevel,
    ...(originRequest.length > 0 ? ['originRequest:', ...originRequest] : []),
    ...(ingress.length > 0 ? ['ingress:', ...ingress] : []),
  ].join('\n'));

/** Any cloudflared-ish text: token soup, built configs, the example damaged, or arbitrary unicode; any line ends. */
export const cloudflaredText: fc.Arbitrary<string> = withLineEnds(
  fc.oneof(
    tokenSoup(CLOUDFLARED_TOKENS),
    cloudflaredStructured,
    damaged(fc.constant(EXAMPLE.cloudflared), CLOUDFLARED_TOKENS),
    damaged(cloudflaredStructured, CLOUDFLARED_TOKENS),
    anyUnicodeText(),
  ),
);

/** YAML's pieces and what a compose file says of services, ports and mounts. */
export const COMPOSE_TOKENS: readonly string[] = [
  ...YAML_TOKENS, 'services:', 'web:', 'tunnel:', 'image:', 'nginx', 'cloudflare/cloudflared', 'command:', 'tunnel run', 'volumes:',
  'ports:', 'network_mode: host', '"8080:80"', '8080:80', '127.0.0.1:8443:443/tcp', './cloudflared:/etc/cloudflared', 'published:',
  'target:', 'source:',
];

const composeService = fc
  .record({
    name: fc.constantFrom('nginx', 'tunnel', 'php', 'web', 'ü'),
    image: fc.constantFrom('nginx:1.27', 'cloudflare/cloudflared:latest', 'php:8.2-fpm', '[1]', ''),
    command: fc.constantFrom('tunnel run', '["tunnel", "--config", "/etc/cloudflared/config.yml", "run"]', '5', ''),
    ports: fc.array(fc.constantFrom('"8080:80"', '8080:80', '"127.0.0.1:8443:443/tcp"', '80', '{ published: 8080, target: 80 }', 'x:y'), { maxLength: 3 }),
    volumes: fc.array(fc.constantFrom('./cloudflared:/etc/cloudflared', './nginx:/etc/nginx:ro', '{ source: ./a, target: /b }', 'only'), { maxLength: 3 }),
  })
  .map(({ name, image, command, ports, volumes }) => [
    `  ${name}:`, `    image: ${image}`, `    command: ${command}`,
    ...(ports.length > 0 ? ['    ports:', ...ports.map((p) => `      - ${p}`)] : []),
    ...(volumes.length > 0 ? ['    volumes:', ...volumes.map((v) => `      - ${v}`)] : []),
  ].join('\n'));

/** Docker Compose files with services that run nginx, cloudflared or PHP, publish ports and mount folders. */
export const composeStructured: fc.Arbitrary<string> = fc.array(composeService, { maxLength: 3 }).map((services) => ['services:', ...services].join('\n'));

/** Any compose-ish text: token soup, built files, built files damaged, or arbitrary unicode; any line ends. */
export const composeText: fc.Arbitrary<string> = withLineEnds(
  fc.oneof(tokenSoup(COMPOSE_TOKENS), composeStructured, damaged(composeStructured, COMPOSE_TOKENS), anyUnicodeText()),
);

/** Text of any of the formats, or of none: what a parser meets when a file is classified wrongly. */
export const anyText: fc.Arbitrary<string> = fc.oneof(nginxText, fpmText, cloudflaredText, composeText, withLineEnds(anyUnicodeText()));

// ---- a whole origin -----------------------------------------------------------------------------------------------

/** The five files of one origin, as texts. */
export interface OriginTexts {
  nginxMain: string;
  nginxSite: string;
  fpmPool: string;
  cloudflared: string;
  /** Docker Compose; it mounts `./cloudflared` into a cloudflared container (at `<root>/docker-compose.yml`). */
  compose: string;
}

/** One of the lines, or no line at all. */
const maybe = (...lines: string[]) => fc.constantFrom('', ...lines);

const nginxMainConfig = fc
  .record({
    user: fc.constantFrom('user www-data;', 'user nginx;', ''),
    workers: fc.constantFrom('auto', '1', '4'),
    connections: fc.constantFrom('10', '768', '4096'),
    http: fc.array(
      maybe('gzip on;', 'resolver 127.0.0.53;', 'proxy_read_timeout 300s;', 'include conf.d/missing.conf;', 'include nginx.conf;', 'fastcgi_read_timeout 300s;'),
      { maxLength: 3 },
    ),
  })
  .map(({ user, workers, connections, http }) => [
    user, `worker_processes ${workers};`, 'events {', `    worker_connections ${connections};`, '}', 'http {',
    ...http.map((line) => `    ${line}`), '    include sites-enabled/*.conf;', '}', '',
  ].join('\n'));

const nginxSiteConfig = fc
  .record({
    upstreamServer: fc.constantFrom('127.0.0.1:3000', 'localhost:9000', 'unix:/run/php/php8.2-fpm.sock', 'api.example.com:443', '127.0.0.1:9000'),
    upstreamFlag: maybe(' down', ' backup'),
    upstreamExtra: maybe('keepalive 16;', 'keepalive 2;'),
    listen: fc.constantFrom('80', '443 ssl', '443 ssl http2', '127.0.0.1:8080', '[::]:80'),
    serverExtra: maybe('add_header Content-Length 0;', 'gzip on;', 'gzip_static always;', 'proxy_buffer_size 1k;'),
    proxyPass: fc.constantFrom(
      'http://localhost:3000', 'http://backend', 'https://backend', 'https://api.example.com', 'https://127.0.0.1:80', 'http://127.0.0.1:443',
      'http://$host', 'http://undefined_upstream', 'https://cdn.example.com$request_uri',
    ),
    proxyExtra: fc.array(
      maybe('proxy_http_version 1.1;', 'proxy_set_header Connection "";', 'proxy_ssl_server_name on;', 'proxy_read_timeout 200s;', 'proxy_buffers 4 2k;'),
      { maxLength: 3 },
    ),
    // The pool's usual socket twice as likely, so that nginx and the pool meet often.
    fastcgiPass: fc.constantFrom('unix:/run/php/php8.2-fpm.sock', 'unix:/run/php/php8.2-fpm.sock', 'unix:/run/php/other.sock', '127.0.0.1:9000', 'backend'),
    fastcgiExtra: fc.array(maybe('fastcgi_keep_conn on;', 'fastcgi_read_timeout 300s;', 'fastcgi_read_timeout 10s;'), { maxLength: 2 }),
  })
  .map((s) => [
    'upstream backend {', `    server ${s.upstreamServer}${s.upstreamFlag};`, `    ${s.upstreamExtra}`, '}', 'server {', `    listen ${s.listen};`,
    '    server_name shop.example.com;', `    ${s.serverExtra}`, '    location / {', `        proxy_pass ${s.proxyPass};`,
    ...s.proxyExtra.map((line) => `        ${line}`), '    }', '    location ~ \\.php$ {', '        include fastcgi_params;',
    `        fastcgi_pass ${s.fastcgiPass};`, ...s.fastcgiExtra.map((line) => `        ${line}`), '    }', '}', '',
  ].join('\n'));

/** A pool with each setting a rule judges, at a value that passes or one that is reported. */
const fpmPoolConfig = fc
  .record({
    listen: fc.constantFrom('/run/php/php8.2-fpm.sock', '/run/php/php8.2-fpm.sock', '127.0.0.1:9000', '9000', '/run/php/$pool.sock'),
    owner: fc.constantFrom('www-data', 'root', 'nobody'),
    mode: fc.constantFrom('0660', '0600', '0666'),
    settings: fc.array(
      fc.constantFrom(
        'pm = dynamic', 'pm = static', 'pm = ondemand', 'pm.max_children = 5', 'pm.max_children = 1', 'pm.max_children = 400',
        'pm.start_servers = 10', 'pm.min_spare_servers = 1', 'pm.max_spare_servers = 3', 'pm.max_requests = 0', 'pm.max_requests = 500',
        'request_terminate_timeout = 0', 'request_terminate_timeout = 30s', 'request_terminate_timeout = 300', 'listen.backlog = 10',
        'listen.backlog = -1', 'php_admin_value[max_execution_time] = 60', 'php_value[max_execution_time] = 10',
        'php_admin_flag[zlib.output_compression] = on', 'php_value[zlib.output_compression] = 1', 'pm.max_request = 500',
        'pm.max_children = 0', 'ping.path = ping', '# a hash comment', '; origin-doctor-disable-next-line',
      ),
      { maxLength: 8 },
    ),
  })
  .map(({ listen, owner, mode, settings }) => [
    '[www]', 'user = www-data', 'group = www-data', `listen = ${listen}`, `listen.owner = ${owner}`, `listen.mode = ${mode}`, ...settings, '',
  ].join('\n'));

const cloudflaredConfig = fc
  .record({
    credentials: maybe('credentials-file: /etc/cloudflared/tunnel.json'),
    originRequest: maybe('connectTimeout: 1s', 'http2Origin: true', 'noTLSVerify: true', 'originServerName: shop.example.com'),
    rules: fc.array(
      fc.record({
        // No hostname: a catch-all, which may come before the last rule.
        hostname: maybe(
          'hostname: shop.example.com', 'hostname: "*example.com"', 'hostname: "*.Example.com"', 'hostname: bad_Host.example.com', 'hostname: "*.example.com"',
        ),
        service: fc.constantFrom(
          'http://127.0.0.1:80', 'https://127.0.0.1:80', 'https://localhost:8443', 'http://localhost:8080', 'https://app:8443',
          'http://127.0.0.1:443', 'http://[::1]:80', 'unix:/run/nginx.sock', 'http://127.0.0.1:8080', 'https://127.0.0.1:8080',
        ),
        extra: maybe('http2Origin: true', 'connectTimeout: 2s', 'noTLSVerify: true', 'tlsTimeout: 1s'),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    catchAll: maybe('  - service: http_status:404'),
  })
  .map(({ credentials, originRequest, rules, catchAll }) => [
    'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef', credentials, ...(originRequest ? ['originRequest:', `  ${originRequest}`] : []), 'ingress:',
    ...rules.map((r) => `  - ${r.hostname ? `${r.hostname}\n    ` : ''}service: ${r.service}${r.extra ? `\n    originRequest:\n      ${r.extra}` : ''}`),
    catchAll, '',
  ].join('\n'));

const composeConfig = fc
  .record({
    tunnel: fc.constantFrom('image: cloudflare/cloudflared:latest', 'command: tunnel --no-autoupdate run', 'image: alpine'),
    network: maybe('network_mode: host'),
    ports: fc.constantFrom('"8080:80"', '"443:443"', '"127.0.0.1:8443:443/tcp"'),
  })
  .map(({ tunnel, network, ports }) => [
    'services:', '  tunnel:', `    ${tunnel}`, `    ${network}`, '    volumes:', '      - ./cloudflared:/etc/cloudflared', '  web:', '    image: nginx',
    '    ports:', `      - ${ports}`, '',
  ].join('\n'));

/**
 * A whole origin whose files name each other as real ones do (nginx includes the site, `fastcgi_pass` and the pool's
 * `listen`, the tunnel's services and nginx's `listen`, compose mounting the tunnel's config), with settings chosen
 * so that most rules of every format have something to report, and quick fixes to offer.
 */
export const coherentOrigin: fc.Arbitrary<OriginTexts> = fc.record({
  nginxMain: nginxMainConfig,
  nginxSite: nginxSiteConfig,
  fpmPool: fpmPoolConfig,
  cloudflared: cloudflaredConfig,
  compose: composeConfig,
});
