import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/invalid-path';
import { re2SyntaxError } from '../../../../server/src/rules/cloudflared/lib/re2-syntax';
import { briefs, findings, yaml } from './harness';

function withPath(value: string): string {
  return yaml('ingress:', '  - hostname: example.com', '    service: https://localhost:8000', `    path: ${value}`, '  - service: http_status:404');
}

test('the rule is an error about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/invalid-path', 'cloudflared', 'error']);
});

test('a glob-like path: on the value, in Go\'s words', () => {
  const text = withPath('"*/subpath2"');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-path error /t/cloudflared/config.yml:3:10-3:22']);
  assert.equal(
    findings(rule, text)[0].message,
    'Rule #1 has an invalid regex: error parsing regexp: missing argument to repetition operator: `*`: cloudflared refuses to start',
  );
});

test('a template placeholder counts as a word, and the pattern around it is still judged', () => {
  assert.match(findings(rule, withPath("'*/${PREFIX}'"))[0].message, /missing argument to repetition operator: `\*`/);
});

test('constructs RE2 lacks are named', () => {
  const cases: Array<[string, RegExp]> = [
    ['^/(?!admin)', /invalid or unsupported Perl syntax: `\(\?!`\. RE2, the regular expression syntax of cloudflared, has no negative look-ahead/],
    ['^/(?=api)', /has no look-ahead/],
    ["'(?<=/v1)/users'", /invalid named capture: .*has no look-behind/],
    ["'(?<!x)y'", /has no negative look-behind/],
    ["'(a)\\1'", /invalid escape sequence: `\\1`\. RE2.* has no backreference/],
    ["'a++'", /invalid nested repetition operator: `\+\+`\. RE2.* has no possessive quantifier/],
    ["'(?>a)'", /has no atomic group/],
    ["'\\k<n>'", /has no named backreference/],
  ];
  for (const [path, expected] of cases) assert.match(findings(rule, withPath(path))[0].message, expected, path);
});

test('plain syntax errors are Go\'s', () => {
  const cases: Array<[string, string]> = [
    ['(', 'missing closing ): `(`'],
    [')', 'unexpected ): `)`'],
    ['[a', 'missing closing ]: `[a`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['(a{500}){3}', 'invalid repeat count: `{3}`'],
    ['[[:word2:]]', 'invalid character class range: `[:word2:]`'],
    ['\\p{Klingon}', 'invalid character class range: `\\p{Klingon}`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['\\', 'trailing backslash at end of expression: ``'],
  ];
  for (const [pattern, message] of cases) {
    const error = re2SyntaxError(pattern);
    assert.equal(error && `${error.code}: \`${error.expr}\``, message, pattern);
  }
});

test('near misses: RE2 syntax JavaScript does not share, and paths that are no regex trouble', () => {
  for (const path of [
    '\\.(jpg|png|css|js)$', '/id', '^/api/.*', "'(?i)^/admin'", "'(?P<version>v[0-9]+)/'", "'(?<version>v[0-9]+)/'", "'\\pL+'",
    "'\\p{Greek}'", "'[[:alpha:]]+'", "'\\Q*.php\\E$'", "'a{2}{'", "'x{,3}'", "'\\x{263a}'", "'[]a]'", "'\\A/z\\z'", "'^*'", '""', "'^/${PREFIX}/'",
  ]) {
    assert.deepEqual(briefs(rule, withPath(path)), [], path);
  }
});
