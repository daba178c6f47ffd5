import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const root = mkdtempSync(join(tmpdir(), 'origin-doctor-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function cli(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

write('site/nginx/nginx.conf', 'events {}\nhttp {\n    include sites/*.conf;\n}\n');
write('site/nginx/sites/a.conf', 'server {\n    listen 80;\n    server_nme a.example;\n}\n');
write('clean/nginx.conf', 'events {}\nhttp { server { listen 80; } }\n');

test('lint a folder: JSON with 1-based positions, names relative to the folder, exit 1 on an error', () => {
  const { code, stdout } = cli(['lint', '--format', 'json', 'site']);
  assert.equal(code, 1);
  assert.deepEqual(JSON.parse(stdout), {
    diagnostics: [{
      file: 'nginx/sites/a.conf',
      rule: 'nginx/unknown-directive',
      severity: 'error',
      line: 3, column: 5, endLine: 3, endColumn: 15,
      message: 'unknown directive "server_nme": nginx -t fails and the configuration is not loaded. Did you mean "server_name"?',
      related: [],
      fixes: [{ title: 'Change to "server_name"', edits: [{ file: 'nginx/sites/a.conf', line: 3, column: 5, endLine: 3, endColumn: 15, newText: 'server_name' }] }],
    }],
  });
});

test('lint a file: named as given; text format; exit 0 when clean', () => {
  const bad = cli(['lint', 'site/nginx/sites/a.conf']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout.split('\n')[0], 'site/nginx/sites/a.conf:3:5: error [nginx/unknown-directive] unknown directive "server_nme": nginx -t fails and the configuration is not loaded. Did you mean "server_name"?');
  const clean = cli(['lint', 'clean']);
  assert.equal(clean.code, 0);
  assert.equal(clean.stdout, 'No problems found.\n');
});

test('settings file turns a rule down', () => {
  const settings = write('settings.json', JSON.stringify({ 'originDoctor.rules': { 'nginx/unknown-directive': 'warning' } }));
  const { code, stdout } = cli(['lint', '--config', settings, '--format', 'json', 'site']);
  assert.equal(code, 0);
  assert.equal(JSON.parse(stdout).diagnostics[0].severity, 'warning');
});

test('SARIF 2.1.0 with rules, results, regions and fixes', () => {
  const { code, stdout } = cli(['lint', '--format', 'sarif', 'site']);
  assert.equal(code, 1);
  const sarif = JSON.parse(stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'nginx/unknown-directive'));
  assert.equal(run.results.length, 1);
  const result = run.results[0];
  assert.equal(result.ruleId, 'nginx/unknown-directive');
  assert.equal(result.level, 'error');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'nginx/unknown-directive');
  assert.deepEqual(result.locations[0].physicalLocation, {
    artifactLocation: { uri: 'nginx/sites/a.conf' },
    region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 15 },
  });
  assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'server_name');
});

test('bad usage and unreadable input exit 2 with a message', () => {
  for (const args of [['lint'], ['lint', '--format', 'xml', 'site'], ['lint', 'does-not-exist'], ['frobnicate'], ['lint', '--config', 'nope.json', 'site']]) {
    const { code, stderr } = cli(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, /^origin-doctor: /);
  }
});

test('the shipped examples: every commented mistake is found (the npm start demo)', () => {
  const examples = join(__dirname, '..', '..', '..', '..', 'examples');
  const { code, stdout } = cli(['lint', '--format', 'json', examples]);
  assert.equal(code, 1);
  const found = JSON.parse(stdout).diagnostics.map((d: { file: string; line: number; rule: string }) => `${d.file}:${d.line} ${d.rule}`);
  assert.deepEqual(found, [
    'cloudflared/config.yml:13 cloudflared/yaml-syntax',
    'nginx/nginx.conf:18 nginx/unknown-directive',
    'nginx/nginx.conf:22 nginx/include-not-found',
    'nginx/sites-enabled/shop.conf:9 nginx/syntax',
    'nginx/sites-enabled/shop.conf:15 nginx/directive-not-allowed-here',
    'php-fpm/pool.d/www.conf:9 php-fpm/hash-comment',
    'php-fpm/pool.d/www.conf:12 php-fpm/max-children-low',
    'php-fpm/pool.d/www.conf:17 php-fpm/unknown-directive',
  ]);
});

test('map: the origin as JSON with 1-based lines, names relative to the folder', () => {
  write('mapped/nginx/nginx.conf', 'events {}\nhttp {\n    server {\n        listen 80;\n        server_name a.example;\n        location / { proxy_pass http://127.0.0.1:3000; }\n    }\n}\n');
  const { code, stdout } = cli(['map', '--format', 'json', 'mapped']);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), {
    map: [{
      kind: 'server', label: 'server a.example [listen 80]', file: 'nginx/nginx.conf', line: 3,
      children: [{
        kind: 'location', label: 'location /', file: 'nginx/nginx.conf', line: 6,
        children: [{ kind: 'backend', label: 'proxy_pass http://127.0.0.1:3000', file: 'nginx/nginx.conf', line: 6, children: [] }],
      }],
    }],
  });
});

test('--memory-mb sizes PHP-FPM pools from the machine\'s memory', () => {
  write('pool/php-fpm/pool.d/www.conf', '[www]\nuser = www-data\nlisten = /run/php/www.sock\npm = static\npm.max_children = 4\n');
  const quiet = cli(['lint', '--format', 'json', 'pool']);
  assert.deepEqual(JSON.parse(quiet.stdout).diagnostics.map((d: { rule: string }) => d.rule), []);
  const sized = cli(['lint', '--format', 'json', '--memory-mb', '8192', 'pool']);
  const low = JSON.parse(sized.stdout).diagnostics.find((d: { rule: string }) => d.rule === 'php-fpm/max-children-low');
  assert.match(low.message, /far below the 112 workers this machine can carry/);
  assert.equal(cli(['lint', '--memory-mb', 'lots', 'pool']).code, 2);
});
