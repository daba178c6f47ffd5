import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { range } from '../../../server/src/core/text';
import { parseCloudflared } from '../../../server/src/parsers/cloudflared/parser';
import { rule } from '../../../server/src/rules/cloudflared/yaml-syntax';
import { parsedFile, runRule } from '../rule-harness';

function check(...texts: string[]) {
  return runRule(rule, { cloudflared: texts.map((text, i) => parsedFile(`/etc/cloudflared/${i}.yml`, text, parseCloudflared)) });
}

test('the rule is an error about cloudflared files', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/yaml-syntax', 'cloudflared', 'error']);
});

test('a valid config gives nothing', () => {
  const text = 'tunnel: x\ncredentials-file: /c.json\ningress:\n  - hostname: "*.example.com"\n    service: http://localhost:80\n  - service: http_status:404\n';
  assert.deepEqual(check(text), []);
});

test('an unclosed quote is reported where the closing quote is missing', () => {
  assert.deepEqual(check('ingress:\n  - service: "http://a\n'), [
    { file: '/etc/cloudflared/0.yml', range: range(2, 0, 2, 0), message: 'Invalid YAML: Missing closing "quote' },
  ]);
});

test('a tab used for indentation is reported on the tab', () => {
  assert.deepEqual(check('ingress:\n\t- service: x\n'), [
    { file: '/etc/cloudflared/0.yml', range: range(1, 0, 1, 1), message: 'Invalid YAML: Tabs are not allowed as indentation' },
  ]);
});

test('a key set twice is an error on the repeated key', () => {
  assert.deepEqual(check('tunnel: a\ncredentials-file: /c.json\ntunnel: b\n'), [{
    file: '/etc/cloudflared/0.yml',
    range: range(2, 0, 2, 6),
    message: 'Duplicate key "tunnel": cloudflared refuses to load a mapping that sets a key twice',
  }]);
});

test('a misindented rule key is reported where the line goes wrong', () => {
  assert.deepEqual(check('ingress:\n  - hostname: a\n   service: b\n'), [
    { file: '/etc/cloudflared/0.yml', range: range(2, 0, 2, 1), message: 'Invalid YAML: Sequence item without - indicator' },
  ]);
});

test('the lexer\'s token names are left out of the message', () => {
  assert.deepEqual(check('tunnel: x\n]\n'), [
    { file: '/etc/cloudflared/0.yml', range: range(1, 0, 1, 1), message: 'Invalid YAML: Unexpected "]"' },
  ]);
});

test('an unquoted wildcard hostname is an unknown alias, with the fix in the message', () => {
  assert.deepEqual(check('ingress:\n  - hostname: *.example.com\n    service: http://a\n  - service: http_status:404\n'), [{
    file: '/etc/cloudflared/0.yml',
    range: range(1, 14, 1, 27),
    message: '"*.example.com" is read as an alias, but no anchor "&.example.com" is defined before it, so cloudflared ' +
      'refuses to load the file; quote a wildcard hostname: "*.example.com"',
  }]);
});

test('a second document is a warning', () => {
  assert.deepEqual(check('tunnel: x\n---\ningress: []\n'), [{
    file: '/etc/cloudflared/0.yml',
    range: range(1, 0, 3, 0),
    message: 'A second YAML document starts here: cloudflared reads only the first one and ignores the rest of the file',
    severity: 'warning',
  }]);
});

test('yaml warnings such as an unknown tag are warnings', () => {
  assert.deepEqual(check('tunnel: !custom x\n'), [{
    file: '/etc/cloudflared/0.yml',
    range: range(0, 8, 0, 15),
    message: 'YAML warning: Unresolved tag: !custom',
    severity: 'warning',
  }]);
});

test('every file is checked, every problem reported in order', () => {
  const reports = check('tunnel: x\n', 'a: 1\na: 2\nb: "\n');
  assert.deepEqual(reports.map((r) => [r.file, r.range, r.message.split(':')[0]]), [
    ['/etc/cloudflared/1.yml', range(1, 0, 1, 1), 'Duplicate key "a"'],
    ['/etc/cloudflared/1.yml', range(3, 0, 3, 0), 'Invalid YAML'],
  ]);
});

test('a file with more than 1,000 errors: the first 1,000 reported, the last counting the rest', () => {
  const text = `tunnel: a\n${'tunnel: b\n'.repeat(1200)}`;
  const findings = check(text);
  assert.equal(findings.length, 1000);
  assert.deepEqual(findings[999], {
    file: '/etc/cloudflared/0.yml',
    range: range(1000, 0, 1000, 6),
    message: 'Duplicate key "tunnel": cloudflared refuses to load a mapping that sets a key twice (and 200 more syntax errors after this one)',
  });
});
