import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyze, brief, workspace } from '../engine-harness';

const TYPO = 'server {\n    listen 80;\n    server_nme example.com;\n}\n';

test('severity overrides and off from settings', () => {
  assert.deepEqual(analyze({ '/n/a.conf': TYPO }, { rules: { 'nginx/unknown-directive': 'warning' } }).map(brief), [
    'nginx/unknown-directive warning /n/a.conf:2:4-2:14',
  ]);
  assert.deepEqual(analyze({ '/n/a.conf': TYPO }, { rules: { 'nginx/unknown-directive': 'off' } }), []);
});

test('maxProblemsPerFile: each file shows its first problems by place, the last shown counting the rest', () => {
  const typos = (n: number) => `server {\n${'    server_nme x;\n'.repeat(n)}}\n`;
  const findings = analyze({ '/n/a.conf': typos(3), '/n/b.conf': typos(2) }, { maxProblemsPerFile: 2 });
  assert.deepEqual(findings.map(brief), [
    'nginx/unknown-directive error /n/a.conf:1:4-1:14',
    'nginx/unknown-directive error /n/a.conf:2:4-2:14',
    'nginx/unknown-directive error /n/b.conf:1:4-1:14',
    'nginx/unknown-directive error /n/b.conf:2:4-2:14',
  ]);
  assert.match(findings[1].message, /is not loaded\. Did you mean "server_name"\? \(1 more problem in this file not shown: originDoctor\.maxProblemsPerFile is 2\)$/);
  assert.doesNotMatch(findings[3].message, /not shown/);
  // Not a positive whole number: the default, 1,000.
  assert.equal(analyze({ '/n/a.conf': typos(3) }, { maxProblemsPerFile: 0 }).length, 3);
});

test('inline suppression silences the named rule on the next line only', () => {
  const suppressed = 'server {\n    # origin-doctor-disable-next-line nginx/unknown-directive\n    server_nme a;\n    server_nme b;\n}\n';
  assert.deepEqual(analyze({ '/n/a.conf': suppressed }).map(brief), ['nginx/unknown-directive error /n/a.conf:3:4-3:14']);
  const otherRule = 'server {\n    # origin-doctor-disable-next-line nginx/syntax\n    server_nme a;\n}\n';
  assert.equal(analyze({ '/n/a.conf': otherRule }).length, 1);
  const everyRule = 'server {\n    # origin-doctor-disable-next-line\n    server_nme a;\n}\n';
  assert.deepEqual(analyze({ '/n/a.conf': everyRule }), []);
});

test('a file included twice is reported once', () => {
  const findings = analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    server { include common.conf; }\n    server { include common.conf; }\n}\n',
    '/n/common.conf': 'server_nme x;\n',
  });
  assert.deepEqual(findings.map(brief), ['nginx/unknown-directive error /n/common.conf:0:0-0:10']);
});

test('an edit re-parses only the edited file and updates findings', () => {
  const { engine } = workspace({ '/n/a.conf': TYPO, '/n/b.conf': 'server { listen 81; }\n' });
  assert.equal(engine.analyze().findings.length, 1);
  const before = engine.parsedFile('/n/b.conf');
  engine.setFile('/n/a.conf', TYPO.replace('server_nme', 'server_name'), 'nginx');
  assert.deepEqual(engine.analyze().findings, []);
  assert.equal(engine.parsedFile('/n/b.conf'), before);
});

test('findings in files outside the workspace (read only through include) are not reported', () => {
  const { engine, host } = workspace({ '/n/nginx.conf': 'events {}\nhttp { include /outside/x.conf; }\n' });
  host.set('/outside/x.conf', 'server_nme x;\n');
  assert.deepEqual(engine.analyze().findings, []);
});

test('a syntax error speaks alone where it stands: other rules reading the recovery there are dropped', () => {
  const findings = analyze({ '/t/cloudflared/config.yml': 'tunnel: t\ningress:\n  - hostname: a.example.com\n    service: http://127.0.0.1:80\n   - service: http_status:404\n' });
  assert.deepEqual(findings.filter((f) => f.range.start.line === 4).map((f) => f.rule), ['cloudflared/yaml-syntax']);
});
