import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { re2Message, re2SyntaxError } from '../../../../../server/src/rules/cloudflared/lib/re2-syntax';

/** Patterns and what Go's `regexp.Compile` answered for each (error text after "error parsing regexp: "). */
const GO_VERDICTS: Array<[string, string | undefined]> = [
  ["*/subpath2", "missing argument to repetition operator: `*`"],
  ["(?=a)", "invalid or unsupported Perl syntax: `(?=`"],
  ["(?!a)", "invalid or unsupported Perl syntax: `(?!`"],
  ["(?>a)", "invalid or unsupported Perl syntax: `(?>`"],
  ["a\\1", "invalid escape sequence: `\\1`"],
  ["\\k<x>", "invalid escape sequence: `\\k`"],
  ["a*+", "invalid nested repetition operator: `*+`"],
  ["a++", "invalid nested repetition operator: `++`"],
  ["a{2}+", "invalid nested repetition operator: `{2}+`"],
  ["a**", "invalid nested repetition operator: `**`"],
  ["(?P<n>a)", undefined],
  ["(?P<1>a)", undefined],
  ["(?P<>a)", "invalid named capture: `(?P<>`"],
  ["(?P<n", "invalid named capture: `(?P<n`"],
  ["(?i)abc", undefined],
  ["(?i:a)", undefined],
  ["(?-)", "invalid or unsupported Perl syntax: `(?-)`"],
  ["(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"],
  ["(?m-s:a)", undefined],
  ["\\pL", undefined],
  ["\\p{Greek}", undefined],
  ["\\p{Foo}", "invalid character class range: `\\p{Foo}`"],
  ["\\p{^Lu}", undefined],
  ["\\p", "invalid character class range: `\\p`"],
  ["[[:alpha:]]", undefined],
  ["[[:foo:]]", "invalid character class range: `[:foo:]`"],
  ["[]a]", undefined],
  ["[^]a]", undefined],
  ["[a-]", undefined],
  ["[z-a]", "invalid character class range: `z-a`"],
  ["[\\d-z]", undefined],
  ["[a", "missing closing ]: `[a`"],
  ["a]", undefined],
  ["a}", undefined],
  ["a{", undefined],
  ["a{,3}", undefined],
  ["a{1001}", "invalid repeat count: `{1001}`"],
  ["a{2,1}", "invalid repeat count: `{2,1}`"],
  ["(a{500}){3}", "invalid repeat count: `{3}`"],
  ["(a{2}|b{600}){2}", "invalid repeat count: `{2}`"],
  ["((a{10}){10}){10}", undefined],
  ["((a{10}){10}){11}", "invalid repeat count: `{11}`"],
  ["a{0}{2}", "invalid nested repetition operator: `{0}{2}`"],
  ["\\Qa*b\\E*", undefined],
  ["\\Q\\E*", "missing argument to repetition operator: `*`"],
  ["\\x41", undefined],
  ["\\x4", "invalid escape sequence: `\\x4`"],
  ["\\x{263a}", undefined],
  ["\\x{}", "invalid escape sequence: `\\x{}`"],
  ["\\x{zz}", "invalid escape sequence: `\\x{z`"],
  ["\\x{110000}", "invalid escape sequence: `\\x{110000`"],
  ["\\012", undefined],
  ["\\8", "invalid escape sequence: `\\8`"],
  ["\\18", "invalid escape sequence: `\\1`"],
  ["\\12", undefined],
  ["\\b", undefined],
  ["[\\b]", "invalid escape sequence: `\\b`"],
  ["\\C", "invalid escape sequence: `\\C`"],
  ["\\Z", "invalid escape sequence: `\\Z`"],
  ["\\_", undefined],
  ["\\-", undefined],
  ["\\é", "invalid escape sequence: `\\é`"],
  ["\\", "trailing backslash at end of expression: ``"],
  ["(", "missing closing ): `(`"],
  ["(()", "missing closing ): `(()`"],
  [")", "unexpected ): `)`"],
  ["a)", "unexpected ): `a)`"],
  ["a|*", "missing argument to repetition operator: `*`"],
  ["(*a)", "missing argument to repetition operator: `*`"],
  ["^*", undefined],
  ["x{2}{3}", "invalid nested repetition operator: `{2}{3}`"],
  ["x{2}*", "invalid nested repetition operator: `{2}*`"],
  ["(?#c)", "invalid or unsupported Perl syntax: `(?#`"],
  ["(?P=n)", "invalid or unsupported Perl syntax: `(?P`"],
  ["\\.(jpg|png|css|js)$", undefined],
  ["[\\x{61}-\\x{7a}]", undefined],
  ["a*??", "invalid nested repetition operator: `*??`"],
  ["a+?*", "invalid nested repetition operator: `+?*`"],
  ["(?:)", undefined],
  ["()", undefined],
  ["[[:]", undefined],
  ["x{100000000}", "invalid repeat count: `{100000000}`"],
  ["x{99999999}", "invalid repeat count: `{99999999}`"],
];

test('each pattern gets Go\'s verdict and Go\'s message', () => {
  for (const [pattern, goError] of GO_VERDICTS) {
    const error = re2SyntaxError(pattern);
    assert.equal(error && re2Message(error), goError && `error parsing regexp: ${goError}`, pattern);
  }
});

test('since Go 1.22, (?<name>…) is a named group; (?<=…) and (?<!…) are no look-behind but a bad name', () => {
  assert.equal(re2SyntaxError('(?<year>[0-9]{4})'), undefined);
  assert.deepEqual(re2SyntaxError('(?<=a)b'), { code: 'invalid named capture', expr: '(?<=a)b', unsupported: 'look-behind `(?<=…)`' });
  assert.deepEqual(re2SyntaxError('(?<!a)b>'), { code: 'invalid named capture', expr: '(?<!a)b>', unsupported: 'negative look-behind `(?<!…)`' });
});
