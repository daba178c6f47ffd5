import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/gzip-content-length';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const run = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });

/** A main config: `http` lines first, then one server with `server` lines. */
function mainConfig(http: string[], server: string[]): string {
  return ['events {}', 'http {', ...http.map((l) => `    ${l}`), '    server {', ...server.map((l) => `        ${l}`), '    }', '}', ''].join('\n');
}

const at = (line: number, start: number, endLine: number, end: number) => ({ start: { line, character: start }, end: { line: endLine, character: end } });

test('add_header Content-Length under gzip on: warning on the header name, gzip related, the line removed', () => {
  const files = { '/n/nginx.conf': mainConfig(['gzip on;'], ['listen 80;', 'add_header Content-Length 1024;', 'location / { root /srv; }']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/gzip-content-length warning /n/nginx.conf:5:19-5:33']);
  assert.equal(findings[0].message, 'add_header Content-Length sends a fixed length, but gzip compresses this response: the compressed body goes out with a Content-Length that does not match it, and Cloudflare answers 502. Remove the line; nginx sets Content-Length itself.');
  assert.deepEqual(findings[0].related, [{ file: '/n/nginx.conf', range: at(2, 4, 2, 12), message: 'gzip is on here' }]);
  assert.deepEqual(findings[0].fixes, [{
    title: 'Remove add_header Content-Length',
    isPreferred: true,
    edits: [{ file: '/n/nginx.conf', range: at(5, 0, 6, 0), newText: '' }],
  }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/nginx.conf'], mainConfig(['gzip on;'], ['listen 80;', 'location / { root /srv; }']));
  assert.deepEqual(run(fixed), []);
});

test('gzip on only in a nested location that inherits the header; any spelling of the name', () => {
  const files = { '/n/nginx.conf': mainConfig([], ['add_header content-length 10;', 'location /a/ { gzip on; }']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/gzip-content-length warning /n/nginx.conf:3:19-3:33']);
  assert.deepEqual(findings[0].related?.[0].range, at(4, 23, 4, 31));
});

test('inside a one-line block only the directive goes', () => {
  const files = { '/n/nginx.conf': mainConfig(['gzip on;'], ['location = /x { add_header Content-Length 2; return 200 "ok"; }']) };
  const findings = run(files);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/nginx.conf'], mainConfig(['gzip on;'], ['location = /x { return 200 "ok"; }']));
});

test('gzip_static always without gunzip: warning on "always", gunzip on added after it', () => {
  const files = { '/n/nginx.conf': mainConfig([], ['location /assets/ {', '    gzip_static always;', '}']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), ['nginx/gzip-content-length warning /n/nginx.conf:4:24-4:30']);
  assert.equal(findings[0].related, undefined);
  assert.equal(findings[0].message, 'gzip_static always sends the .gz file to every client, also to those that did not ask for gzip, and without "gunzip on" nothing decompresses it for them: they get bytes they cannot read. Add "gunzip on;".');
  assert.deepEqual(findings[0].fixes, [{
    title: 'Add gunzip on',
    isPreferred: true,
    edits: [{ file: '/n/nginx.conf', range: at(4, 31, 4, 31), newText: '\n            gunzip on;' }],
  }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/nginx.conf'], mainConfig([], ['location /assets/ {', '    gzip_static always;', '    gunzip on;', '}']));
  assert.deepEqual(run(fixed), []);
});

test('gzip_static always with gunzip off: a local off is turned on, an outer one overridden', () => {
  const local = { '/n/nginx.conf': mainConfig([], ['gzip_static always;', 'gunzip off;']) };
  const localFix = run(local)[0].fixes![0];
  assert.deepEqual(localFix.edits, [{ file: '/n/nginx.conf', range: at(4, 15, 4, 18), newText: 'on' }]);
  assert.deepEqual(run(applyFix(local, localFix)), []);

  const nested = { '/n/nginx.conf': mainConfig(['gunzip off;'], ['gzip_static always;', 'location / { gunzip off; }']) };
  assert.deepEqual(run(nested)[0].related?.map((r) => r.range), [at(2, 4, 2, 15), at(5, 21, 5, 32)]);
  const nestedFix = run(nested)[0].fixes![0];
  assert.deepEqual(nestedFix.edits, [
    { file: '/n/nginx.conf', range: at(5, 28, 5, 31), newText: 'on' },
    { file: '/n/nginx.conf', range: at(4, 27, 4, 27), newText: '\n        gunzip on;' },
  ]);
  assert.deepEqual(run(applyFix(nested, nestedFix)), []);
});

test('gzip_static always with a gunzip line that has no value: "on" is added to it', () => {
  const files = { '/n/nginx.conf': mainConfig([], ['gzip_static always;', 'gunzip;']) };
  const fix = run(files)[0].fixes![0];
  assert.deepEqual(fix.edits, [{ file: '/n/nginx.conf', range: at(4, 14, 4, 14), newText: ' on' }]);
  assert.deepEqual(run(applyFix(files, fix)), []);
});

test('near misses stay silent', () => {
  const silent = (http: string[], server: string[]) => assert.deepEqual(run({ '/n/nginx.conf': mainConfig(http, server) }), []);
  // No gzip where the header applies: off by default, off here, or the gzip location has its own add_header.
  silent([], ['add_header Content-Length 10;']);
  silent(['gzip on;'], ['gzip off;', 'add_header Content-Length 10;']);
  silent([], ['add_header Content-Length 10;', 'location / { gzip on; add_header X-Frame-Options DENY; }']);
  // Other headers; headers-more's own length, which gzip drops from what it compresses.
  silent(['gzip on;'], ['add_header Content-Type text/plain;', 'more_set_headers "Content-Length: 10";']);
  // gzip_static on, or always with gunzip on where it applies.
  silent([], ['gzip_static on;']);
  silent(['gunzip on;'], ['gzip_static always;']);
  // A site whose nginx.conf is not in the workspace: gzip there is unknown.
  assert.deepEqual(run({ '/n/sites-available/a.conf': 'server {\n    add_header Content-Length 10;\n}\n' }), []);
});
