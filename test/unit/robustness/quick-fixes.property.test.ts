import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { suppressionFix } from '../../../server/src/features/suppress';
import { applyEdits } from '../apply-edits';
import { analyze, brief, workspace } from '../engine-harness';
import { fuzzParameters, fuzzRuns } from './budget';
import { checkAllFixes, FixTally } from './fix-properties';
import { fixableOrigin } from './fixable-origins';

/**
 * Issue 12, property 3, on generated origins (fixable-origins.ts): every quick fix of every finding, and every
 * finding's "Disable … for this line", keeps its edits apart, breaks no file and changes nothing when applied a
 * second time (fix-properties.ts says exactly how). The origins are built to trigger the rules that offer fixes; the
 * test fails when one of those rules offered none in the whole run, so the generator cannot drift away from a rule.
 */

/** Every rule whose findings carry quick fixes. */
const RULES_WITH_FIXES = [
  'nginx/syntax', 'nginx/unknown-directive', 'nginx/keepalive-needs-http11', 'nginx/timeout-beyond-cloudflare', 'nginx/gzip-content-length',
  'nginx/worker-capacity', 'nginx/http2-listen-deprecated', 'nginx/fastcgi-target-mismatch', 'nginx/proxy-pass-localhost',
  'nginx/upstream-buffer-too-small', 'nginx/resolver-missing', 'nginx/upstream-ssl-sni', 'nginx/scheme-port-mismatch', 'nginx/upstream-undefined',
  'php-fpm/syntax', 'php-fpm/hash-comment', 'php-fpm/unknown-directive', 'php-fpm/pm-invalid', 'php-fpm/max-children-low',
  'php-fpm/max-children-exceeds-memory', 'php-fpm/request-terminate-short', 'php-fpm/max-requests-unbounded', 'php-fpm/listen-backlog-low',
  'php-fpm/zlib-compression', 'php-fpm/terminate-before-nginx', 'php-fpm/listen-permissions',
  'cloudflared/ingress-catch-all-missing', 'cloudflared/ingress-catch-all-not-last', 'cloudflared/invalid-service', 'cloudflared/invalid-hostname',
  'cloudflared/unknown-key', 'cloudflared/invalid-value', 'cloudflared/hostname-never-matches', 'cloudflared/scheme-port-mismatch',
  'cloudflared/https-origin-untrusted', 'cloudflared/localhost-service', 'cloudflared/localhost-in-container', 'cloudflared/http2-origin',
  'cloudflared/connect-timeout-short', 'cloudflared/service-no-listener', 'cloudflared/scheme-listener-mismatch',
];

const RUNS = 100;
/** At least this share of the generated origins must offer fixes, and this many on average: the generator aims at them. */
const MIN_SHARE_WITH_FIXES = 0.9;
const MIN_FIXES_PER_ORIGIN = 10;

test(`quick fixes on ${fuzzRuns(RUNS)} generated origins: edits apart, no new load error, idempotent; every rule with fixes exercised`, () => {
  const tally = new FixTally();
  let origins = 0;
  let withFixes = 0;
  fc.assert(
    fc.property(fixableOrigin, ({ files, settings }) => {
      const fixesBefore = tally.fixes;
      checkAllFixes(workspace(files, settings).engine, tally);
      origins++;
      if (tally.fixes > fixesBefore) withFixes++;
    }),
    fuzzParameters(RUNS),
  );
  console.log(`${tally.fixes} quick fixes and ${tally.suppressions} "Disable … for this line" actions checked on ${origins} origins `
    + `(${withFixes} with fixes):\n${tally.table()}`);
  assert.deepEqual(RULES_WITH_FIXES.filter((rule) => !tally.byRule.has(rule)), [], 'rules with fixes that no generated origin exercised');
  assert.deepEqual([...tally.byRule.keys()].filter((rule) => !RULES_WITH_FIXES.includes(rule)), [], 'rules with fixes missing from RULES_WITH_FIXES');
  assert.ok(withFixes >= MIN_SHARE_WITH_FIXES * origins, `${withFixes} of ${origins} origins offer fixes`);
  assert.ok(tally.fixes >= MIN_FIXES_PER_ORIGIN * origins, `${tally.fixes} fixes on ${origins} origins`);
});

// ---- regressions: inputs on which a property failed, each mended in the rule or in suppress.ts --------------------

const TUNNEL = '/g/cloudflared/config.yml';

/** A tunnel config whose one ingress rule has `ruleLines` (indented under `- `), then the catch-all. */
function tunnel(...ruleLines: string[]): string {
  return ['tunnel: t', 'credentials-file: /etc/cloudflared/t.json', 'ingress:', ...ruleLines.map((line, i) => `${i === 0 ? '  - ' : '    '}${line}`),
    '  - service: http_status:404', ''].join('\n');
}

/** The only finding of `files`, after checking that every fix of the origin keeps the properties. */
function onlyFinding(files: Record<string, string>) {
  const { engine } = workspace(files);
  checkAllFixes(engine, new FixTally());
  const findings = engine.analyze().findings;
  assert.equal(findings.length, 1, findings.map(brief).join('\n'));
  return findings[0];
}

test('regression: cloudflared/unknown-key renames no key to one its map already holds (a duplicate key is invalid YAML)', () => {
  const finding = onlyFinding({ [TUNNEL]: tunnel('hostname: shop.example.com', 'service: http://127.0.0.1:80', 'originRequest:', '  connectTimeout: 30s', '  conectTimeout: 10s') });
  assert.equal(brief(finding), `cloudflared/unknown-key warning ${TUNNEL}:7:6-7:19`);
  assert.equal(finding.fixes, undefined);
});

test('regression: cloudflared/https-origin-untrusted sets noTLSVerify where the rule writes it already, instead of a duplicate key', () => {
  const finding = onlyFinding({ [TUNNEL]: tunnel('hostname: shop.example.com', 'service: https://127.0.0.1:8443', 'originRequest:', '  noTLSVerify: false') });
  assert.deepEqual(finding.fixes?.[1].edits, [{ file: TUNNEL, range: { start: { line: 6, character: 19 }, end: { line: 6, character: 24 } }, newText: 'true' }]);
});

test('regression: cloudflared/https-origin-untrusted adds no key under an originRequest written as an alias', () => {
  const files = { [TUNNEL]: tunnel('hostname: shop.example.com', 'service: https://127.0.0.1:8443', 'originRequest: *defaults').replace('ingress:', 'x-defaults: &defaults\n  connectTimeout: 30s\ningress:') };
  assert.equal(onlyFinding(files).fixes, undefined);
});

/** The text after "Disable … for this line" for the finding of `rule`, and the origin's findings then. */
function suppressed(path: string, text: string, rule: string): { text: string; findings: string[] } {
  const { engine } = workspace({ [path]: text });
  const finding = engine.analyze().findings.find((f) => f.rule === rule)!;
  const fix = suppressionFix(finding, engine.parsedFile(path)!.lines, engine.kindOf(path)!);
  const fixed = applyEdits(text, fix.edits);
  return { text: fixed, findings: analyze({ [path]: fixed }).map(brief) };
}

test('regression: "Disable … for this line" on the first line of a file with a byte order mark keeps the mark first', () => {
  const conf = '/g/nginx/nginx.conf';
  const after = suppressed(conf, '\uFEFFworker_processes 1;\nevents {}\n', 'nginx/worker-capacity');
  assert.equal(after.text, '\uFEFF# origin-doctor-disable-next-line nginx/worker-capacity\nworker_processes 1;\nevents {}\n');
  assert.deepEqual(after.findings, [], 'before the fix, the mark moved to line 2: unknown directive "\uFEFFworker_processes"');
});

test('regression: "Disable … for this line" under a comment that silences another rule adds its id there', () => {
  const conf = '/g/nginx/nginx.conf';
  const text = 'events {}\nhttp {\n    server {\n        location / {\n            # origin-doctor-disable-next-line nginx/proxy-pass-localhost\n'
    + '            proxy_pass https://localhost:80;\n        }\n    }\n}\n';
  const after = suppressed(conf, text, 'nginx/scheme-port-mismatch');
  assert.equal(after.text, text.replace('nginx/proxy-pass-localhost', 'nginx/proxy-pass-localhost nginx/scheme-port-mismatch'));
  assert.deepEqual(after.findings, [], 'before the fix, a second comment line ended the first one\'s hold on proxy_pass');
});

test('regression: a fix for a pass inside `if` sets proxy_ssl_server_name and buffer sizes in the location around it (nginx refuses them in `if`)', () => {
  const conf = '/g/nginx/nginx.conf';
  const location = (path: string, pass: string, after: string[]) =>
    [`        location ${path} {`, '            if ($request_method = POST) {', `                ${pass}`, '            }', ...after.map((line) => `            ${line}`), '        }'];
  const site = (proxy: string[] = [], php: string[] = []) => ['events {}', 'http {', '    server {', ...location('/', 'proxy_pass https://api.example.com;', proxy),
    ...location('~ \\.php$', 'fastcgi_pass 127.0.0.1:9000;', php), '    }', '}', ''].join('\n');
  const { engine } = workspace({ [conf]: site() });
  checkAllFixes(engine, new FixTally());
  assert.deepEqual(engine.analyze().findings.map((f) => [f.rule, applyEdits(site(), f.fixes![0].edits)]), [
    ['nginx/upstream-ssl-sni', site(['proxy_ssl_server_name on;'])],
    ['nginx/upstream-buffer-too-small', site([], ['fastcgi_buffer_size 32k;', 'fastcgi_buffers 16 16k;'])],
  ]);
});

test('regression: php-fpm/listen-permissions adds its lines with the pool file\'s CRLF', () => {
  const pool = '/g/php-fpm/pool.d/www.conf';
  const { engine } = workspace({
    '/g/nginx/nginx.conf': 'user nginx;\nevents {}\nhttp {\n    server {\n        location ~ \\.php$ { fastcgi_pass unix:/run/php/www.sock; }\n    }\n}\n',
    [pool]: '[www]\r\nuser = www-data\r\nlisten = /run/php/www.sock\r\npm = static\r\npm.max_children = 5\r\n',
  });
  checkAllFixes(engine, new FixTally());
  const finding = engine.analyze().findings.find((f) => f.rule === 'php-fpm/listen-permissions')!;
  assert.deepEqual(finding.fixes!.map((fix) => fix.edits.map((e) => e.newText)), [['\r\nlisten.owner = nginx\r\nlisten.group = nginx']]);
});
