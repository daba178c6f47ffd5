/**
 * Property 2 of issue 12: the engine, with every rule, on a small origin (nginx main config and site, PHP-FPM
 * pool, cloudflared tunnel, compose file) of any text: no rule throws (the harness turns a logged rule failure into
 * an exception), and every finding, related location and fix edit lies inside its document, also after a file
 * changes. And a rule that does throw is contained: logged once, the other rules unaffected.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Rule } from '../../../server/src/core/rule';
import { resolveSettings } from '../../../server/src/core/settings';
import { Engine } from '../../../server/src/engine/engine';
import { foldingRangesOf } from '../../../server/src/features/folding';
import { gzipToggleActions } from '../../../server/src/features/gzip-toggle';
import { documentLinksOf } from '../../../server/src/features/links';
import { OverlayFileSystem } from '../../../server/src/model/host';
import type { ParsedFile } from '../../../server/src/model/workspace';
import type { NginxParseResult } from '../../../server/src/parsers/nginx/ast';
import { rule as unknownDirective } from '../../../server/src/rules/nginx/unknown-directive';
import { brief, workspace } from '../engine-harness';
import { EXAMPLE, linesOf } from './arbitraries';
import { fuzzParameters } from './budget';
import { assertFindingsInside } from './ranges';
import { anyOrigin, anySettings, ORIGIN_KINDS, originTexts } from './origins';
import { assertLinearTime } from './timing';

/** No setting changed, for the fixed regression case. */
const DEFAULT_SETTINGS = {
  behindCloudflare: true,
  nginx: { version: '1.22.1', extraDirectives: [] },
  server: { memoryMB: undefined },
  phpFpm: { processMemoryMB: 64 },
};

/** The example origin with an escaped CR before a CRLF in the site: a first engine fuzz found ranges past the line end there. */
const ESCAPED_CR_ORIGIN = originTexts({ ...EXAMPLE, nginxSite: 'server {\r\n    keepalive 16\\\r\n    upstream x;\r\n}\r\n', compose: '' });

/** Cases in `npm test` (about a second): each analyses a five-file origin twice; `npm run fuzz` runs 50 times as many. */
const CASES = 300;

test('every rule on a damaged or arbitrary origin, then after one file changes: no rule throws, every range inside its document', () => {
  const changedFile = fc.constantFrom(...Object.keys(ORIGIN_KINDS));
  fc.assert(
    fc.property(anyOrigin, anySettings, changedFile, anyOrigin, (texts, userSettings, changed, replacements) => {
      const { engine, host } = workspace(texts, userSettings, { kinds: ORIGIN_KINDS });
      assertFindingsInside(engine.analyze().findings, texts, ' (first analysis)');
      const after = { ...texts, [changed]: replacements[changed] };
      // As the server does on a change: the open document over the disk, and the engine.
      host.set(changed, after[changed]);
      engine.setFile(changed, after[changed], ORIGIN_KINDS[changed]);
      assertFindingsInside(engine.analyze().findings, after, ` (after ${changed} changed)`);
    }),
    { ...fuzzParameters(CASES), examples: [[ESCAPED_CR_ORIGIN, DEFAULT_SETTINGS, '/f/docker-compose.yml', ESCAPED_CR_ORIGIN]] },
  );
});

test('a rule that throws is logged once, not on every analysis, and the other rules still report', () => {
  const throwing: Rule = {
    id: 'test/throws',
    format: 'nginx',
    defaultSeverity: 'error',
    title: 'Always throws',
    docs: '',
    check() {
      throw new Error('rule bug');
    },
  };
  const log: string[] = [];
  const engine = new Engine(new OverlayFileSystem(), resolveSettings({}), (message) => log.push(message), [throwing, unknownDirective]);
  engine.setFile('/f/nginx/nginx.conf', 'http {\n    client_max_body_szie 1m;\n}\n', 'nginx');
  const first = engine.analyze().findings.map(brief);
  engine.setFile('/f/nginx/nginx.conf', 'http {\n    gzip on;\n    proxy_bufer_size 4k;\n}\n', 'nginx');
  const second = engine.analyze().findings.map(brief);

  assert.deepEqual(first, ['nginx/unknown-directive error /f/nginx/nginx.conf:1:4-1:24']);
  assert.deepEqual(second, ['nginx/unknown-directive error /f/nginx/nginx.conf:2:4-2:20']);
  assert.equal(log.length, 1, log.join('\n'));
  assert.match(log[0], /^rule test\/throws failed: Error: rule bug\n/);
});

test('4,000 pools, one with 4,000 php_value lines, and 4 fastcgi_passes: analysed in linear time', (t) => {
  // Regressions: the pools a fastcgi_pass reaches were worked out again for every pool (cubic: 400 pools and passes
  // took 43 s), pm-invalid compared each pool's listen with every earlier one, and each php_value line copied the
  // list of its pool's earlier ones.
  const locations = linesOf(4, (i) => `        location /p${i}/ {\n            fastcgi_pass unix:/run/php/p${i}.sock;\n        }\n`);
  const nginx = `events {}\nhttp {\n    server {\n${locations}    }\n}\n`;
  const pools = (n: number) => `[p0]\nlisten = /run/php/p0.sock\n${linesOf(n, (i) => `php_value[v${i}] = ${i}\n`)}`
    + linesOf(n, (i) => `[p${i + 1}]\nuser = www-data\nlisten = /run/php/p${i + 1}.sock\npm = static\npm.max_children = 5\n`);
  const texts = (pool: string) => ({ '/f/nginx/nginx.conf': nginx, '/f/php-fpm/pool.d/www.conf': pool });
  const analyze = (pool: string) => workspace(texts(pool), {}, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { input, result, summary } = assertLinearTime('a large PHP-FPM origin', analyze, pools, 4000);
  t.diagnostic(summary);
  assertFindingsInside(result, texts(input));
});

test('2,000 pools, fastcgi_passes, listens and tunnel routes, each meeting its own: matched in linear time', (t) => {
  // Regression: which passes reach a pool, which pool a pass reaches and which listen a tunnel route reaches were
  // found by trying every pair (4,000 of each: 20 s).
  const origin = (n: number) => JSON.stringify({
    '/f/nginx/nginx.conf': `events {}\nhttp {\n${linesOf(n, (i) => `    server {\n        listen 127.0.0.1:${10000 + i};\n`
      + `        location ~ \\.php$ {\n            fastcgi_pass unix:/run/php/p${i}.sock;\n        }\n`
      + `        location /app/ {\n            proxy_pass http://127.0.0.1:${30000 + i};\n        }\n    }\n`)}}\n`,
    '/f/php-fpm/pool.d/www.conf': linesOf(n, (i) => `[p${i}]\nuser = www-data\nlisten = /run/php/p${i}.sock\npm = static\npm.max_children = 5\n`),
    // Half the routes reach a listen; the others an app server nginx proxies to.
    '/f/cloudflared/config.yml': `tunnel: t\ningress:\n${linesOf(n, (i) => `  - hostname: s${i}.example.com\n    service: http://127.0.0.1:${(i % 2 === 0 ? 10000 : 30000) + i}\n`)}  - service: http_status:404\n`,
  });
  // Every finding counted below is shown: 2,000 of them stand in the pool file.
  const analyze = (input: string) => workspace(JSON.parse(input), { maxProblemsPerFile: 10_000 }, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { input, result, summary } = assertLinearTime('a large origin matched end to end', analyze, origin, 2000);
  t.diagnostic(summary);
  assertFindingsInside(result, JSON.parse(input));
  const count = (rule: string) => result.filter((finding) => finding.rule === rule).length;
  // Every pass finds its pool and every route a listen or a pass; each pool is found reached by its pass, so its
  // socket (root's: no listen.owner) is judged.
  assert.deepEqual(
    ['nginx/fastcgi-target-mismatch', 'cloudflared/service-no-listener', 'php-fpm/listen-permissions'].map(count),
    [0, 0, 2000],
  );
});

test('blocks nested 80,000 deep: analysed in linear time', (t) => {
  // Regression: finding the include that brought a directive in climbed to the top of its file from every directive
  // (200,000 levels did not finish in a minute).
  const nested = (n: number) => `${'http {\n'.repeat(n)}${'}\n'.repeat(n)}`;
  const analyze = (text: string) => workspace({ '/f/nginx/nginx.conf': text }, {}, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { input, result, summary } = assertLinearTime('deeply nested blocks', analyze, nested, 80_000);
  t.diagnostic(summary);
  assertFindingsInside(result, { '/f/nginx/nginx.conf': input });
});

test('a file of 300,000 stray characters or unknown names: at most maxProblemsPerFile findings, the last counting the rest', () => {
  // Regressions: two million stray `;` overflowed the call stack, and a file of unknown names took 5 s and 650 MB.
  const analyze = (text: string, settings = {}) => workspace({ '/f/nginx/nginx.conf': text }, settings, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const stray = analyze(';'.repeat(300_000));
  assert.equal(stray.length, 1000);
  assert.deepEqual(stray.slice(-2).map((f) => `${brief(f)} ${f.message}`), [
    'nginx/syntax error /f/nginx/nginx.conf:0:998-0:999 unexpected ";"',
    'nginx/syntax error /f/nginx/nginx.conf:0:999-0:1000 unexpected ";" (and 299000 more syntax errors after this one)',
  ]);
  const unknown = analyze('foo;\n'.repeat(300_000), { maxProblemsPerFile: 20 });
  assert.deepEqual(unknown.map(brief), Array.from({ length: 20 }, (_, line) => `nginx/unknown-directive error /f/nginx/nginx.conf:${line}:0-${line}:3`));
  assert.equal(unknown[19].message, 'unknown directive "foo": nginx -t fails and the configuration is not loaded. (299980 more problems in this file not shown: originDoctor.maxProblemsPerFile is 20)');
});

test('a file of 40,000 distinct unknown names: analysed in linear time, spellings suggested for the first 1,000', (t) => {
  // Regressions: the nodes of the unknown names were gathered by merging each name's into those before (quadratic),
  // and a spelling was looked for among every documented directive for each name (32,000 names: 3.5 s a keystroke).
  const names = (n: number) => linesOf(n, (i) => `zz${i} 1;\n`);
  const analyze = (text: string, settings = {}) => workspace({ '/f/nginx/nginx.conf': text }, settings, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { summary } = assertLinearTime('distinct unknown names', analyze, names, 40_000);
  t.diagnostic(summary);
  const suggestion = (text: string) => analyze(text, { maxProblemsPerFile: 2000 })
    .find((f) => f.message.includes('"proxy_passs"'))?.message.includes('Did you mean "proxy_pass"?');
  assert.equal(suggestion(`proxy_passs 1;\n${names(1000)}`), true);
  assert.equal(suggestion(`${names(1000)}proxy_passs 1;\n`), false);
});

test('thousands of upstreams and of passes to host names or to names no upstream has: analysed in linear time', (t) => {
  // Regression: every pass to a host name, and every one naming no upstream, compared its host with every upstream's
  // name (8,000 of each: 1.5 s, and 8.4 s where the names were all unknown).
  const config = (n: number) => `events {}\nhttp {\n${linesOf(n, (i) => `    upstream up${i} { server 127.0.0.1:${1000 + (i % 5000)}; }\n`)}`
    + `    server {\n${linesOf(n, (i) => `        location /${i} { proxy_pass http://${i % 2 === 0 ? `site${i}.example.com` : `upp${i}`}; }\n`)}    }\n}\n`;
  const analyze = (text: string) => workspace({ '/f/nginx/nginx.conf': text }, { maxProblemsPerFile: 100_000 }, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { result, summary } = assertLinearTime('passes among many upstreams', analyze, config, 8000);
  t.diagnostic(summary);
  const unknown = result.filter((finding) => finding.rule === 'nginx/upstream-undefined');
  assert.equal(unknown.length, 4000);
  assert.match(unknown[0].message, /No upstream block is named "upp1".* Did you mean "up1"\?$/);
});

test('thousands of fastcgi_passes to sockets no pool listens on, among thousands of pools: analysed in linear time', (t) => {
  // Regression: each missed socket was ranked against every pool for its fixes, and each finding went through every
  // pool to list some (8,000 of each: 25 s, as after a PHP upgrade renamed every site's socket).
  const texts = (n: number) => JSON.stringify({
    '/f/nginx/nginx.conf': `events {}\nhttp {\n    server {\n${linesOf(n, (i) => `        location /${i} { fastcgi_pass unix:/run/php/site${i}-php8.1.sock; }\n`)}    }\n}\n`,
    '/f/php-fpm/pool.d/www.conf': linesOf(n, (i) => `[site${i}]\nuser = www-data\nlisten = /run/php/site${i}-php8.2.sock\npm = static\npm.max_children = 5\n`),
  });
  const analyze = (input: string) => workspace(JSON.parse(input), { maxProblemsPerFile: 100_000 }, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { result, summary } = assertLinearTime('missed sockets among many pools', analyze, texts, 8000);
  t.diagnostic(summary);
  const missed = result.filter((finding) => finding.rule === 'nginx/fastcgi-target-mismatch');
  assert.equal(missed.length, 8000);
  assert.equal(missed[0].fixes?.[0].title, 'Pass to pool [site0] (unix:/run/php/site0-php8.2.sock)');
  assert.match(missed[0].message, /and 7990 more\.$/);
});

test('many lines at the http level that every block below inherits, over many servers: analysed in linear time', (t) => {
  // Regression: each add_header Content-Length and gzip_static always walked every block below its level, and each
  // pass to a keepalive upstream searched every proxy_set_header line it inherits (4,000 of each: 4 s).
  const config = (n: number) => `events {}\nhttp {\n    gzip on;\n    upstream app { server 127.0.0.1:3000; keepalive 8; }\n`
    + linesOf(n, (i) => `    add_header Content-Length ${i};\n    gzip_static always;\n    proxy_set_header X-${i} 1;\n`)
    + linesOf(n, (i) => `    server {\n        listen ${8000 + (i % 1000)};\n        location / { proxy_pass http://app; }\n    }\n`) + '}\n';
  const analyze = (text: string) => workspace({ '/f/nginx/nginx.conf': text }, { maxProblemsPerFile: 100_000 }, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { result, summary } = assertLinearTime('inherited lines over many servers', analyze, config, 4000);
  t.diagnostic(summary);
  const count = (rule: string) => result.filter((finding) => finding.rule === rule).length;
  assert.deepEqual(['nginx/gzip-content-length', 'nginx/keepalive-needs-http11'].map(count), [8000, 4000]);
});

test('big upstreams and many passes to them: analysed in linear time, each finding naming the first ten servers', (t) => {
  // Regressions: every pass to an upstream went through all its servers (scheme-port-mismatch listed each, in every
  // finding: 4,000 of each ran out of memory; upstream-ssl-sni: 5 s), each upstream marked down went through every
  // pass, and each long proxy_read_timeout searched every proxy_set_header line it inherits.
  const config = (n: number) => `events {}\nhttp {\n${linesOf(n, (i) => `    proxy_set_header X-${i} 1;\n`)}`
    + `    upstream tls { ${linesOf(n, (i) => `server 10.0.${i % 250}.${i % 200}:443; `)}}\n`
    + `    upstream named { ${linesOf(n, (i) => `server b${i}.example.com:443; `)}}\n`
    + linesOf(n, (i) => `    upstream down${i} { server 127.0.0.1:${1000 + (i % 5000)} down; }\n`)
    + `    server {\n${linesOf(n, (i) => `        location /${i} { proxy_pass ${['http://tls', 'https://named', `http://down${i}`][i % 3]}; proxy_read_timeout 300s; }\n`)}    }\n}\n`;
  const analyze = (text: string) => workspace({ '/f/nginx/nginx.conf': text }, { maxProblemsPerFile: 100_000 }, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { result, summary } = assertLinearTime('big upstreams', analyze, config, 4000);
  t.diagnostic(summary);
  const first = (rule: string) => result.find((finding) => finding.rule === rule)!;
  assert.match(first('nginx/scheme-port-mismatch').message, /where 10\.0\.0\.0:443, .* and 3990 more are on port 443:/);
  assert.equal(first('nginx/scheme-port-mismatch').related?.length, 10);
  assert.match(first('nginx/upstream-ssl-sni').message, /\(b0\.example\.com, .* and 3990 more\)/);
  assert.equal(result.filter((finding) => finding.rule === 'nginx/upstream-all-down').length, 4000);
});

test('a tunnel route per site to one nginx port the routes speak the wrong protocol to: linear, ten listens named', (t) => {
  // Regression: each route went through every listen on the port and named them all (4,000 sites ran out of memory).
  const origin = (n: number) => JSON.stringify({
    '/f/nginx/nginx.conf': `events {}\nhttp {\n${linesOf(n, (i) => `    server { listen 8080; server_name s${i}.example.com; }\n`)}}\n`,
    '/f/cloudflared/config.yml': `tunnel: t\ningress:\n${linesOf(n, (i) => `  - hostname: s${i}.example.com\n    service: https://127.0.0.1:8080\n`)}  - service: http_status:404\n`,
  });
  const analyze = (input: string) => workspace(JSON.parse(input), { maxProblemsPerFile: 100_000 }, { kinds: ORIGIN_KINDS }).engine.analyze().findings;
  const { result, summary } = assertLinearTime('routes to one port', analyze, origin, 4000);
  t.diagnostic(summary);
  const mismatched = result.filter((finding) => finding.rule === 'cloudflared/scheme-listener-mismatch');
  assert.equal(mismatched.length, 4000);
  assert.equal(mismatched[0].related?.length, 10);
});

test('a block of 500,000 directives: the rules, folding, links and the gzip action answer (no list is spread onto the call stack)', () => {
  const path = '/f/nginx/nginx.conf';
  const text = `http {\n${'    gzip on;\n'.repeat(500_000)}}\n`;
  const { engine, host } = workspace({ [path]: text }, {}, { kinds: ORIGIN_KINDS });
  assert.deepEqual(engine.analyze().findings.map(brief), []);
  assert.deepEqual(foldingRangesOf(engine, path), [{ startLine: 0, endLine: 500_000 }]);
  assert.deepEqual(documentLinksOf(engine, path, host), []);
  const file = engine.parsedFile(path) as ParsedFile<NginxParseResult>;
  const secondLine = { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } };
  assert.deepEqual(gzipToggleActions(file, secondLine).map((fix) => fix.edits[0].range.start), [{ line: 1, character: 4 }]);
});
