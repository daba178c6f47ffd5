import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { closest, editDistance } from '../../../server/src/core/suggest';

/** The textbook optimal string alignment distance, row by row over the whole strings: the oracle. */
function plainDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

test('edit distance: the oracle on known pairs, with a common start and end trimmed', () => {
  const pairs: [string, string, number][] = [
    ['', '', 0], ['abc', '', 3], ['', 'abc', 3], ['proxy_pass', 'proxy_passs', 1], ['proxy_buffer_size', 'proxy_bufer_size', 1],
    ['ab', 'ba', 1], ['xaby', 'xbay', 1], ['ca', 'abc', 3], ['/run/php/php7.4-fpm.sock', '/run/php/php8.2-fpm.sock', 2],
    ['unix:/run/php/gone12.sock', 'unix:/run/php/pool345.sock', 6], ['aaaa', 'aa', 2],
  ];
  for (const [a, b, distance] of pairs) {
    assert.equal(editDistance(a, b), distance, `${a} / ${b}`);
    assert.equal(plainDistance(a, b), distance, `oracle ${a} / ${b}`);
  }
  // Over the limit: limit + 1, whatever the real distance, whether found early or at the end.
  assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
  assert.equal(editDistance('a', 'baa', 0), 1);
});

test('edit distance equals the oracle on arbitrary strings, with and without a limit, long ones after short ones included', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '/', '.'), maxLength: 40 });
  fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === plainDistance(a, b)), { seed: 7, numRuns: 2000 });
  fc.assert(fc.property(word, word, fc.nat(4), (a, b, limit) => editDistance(a, b, limit) === Math.min(plainDistance(a, b), limit + 1)), { seed: 7, numRuns: 2000 });
  const long = 'x'.repeat(300);
  assert.equal(editDistance(`${long}ab`, `ba${long}`), plainDistance(`${long}ab`, `ba${long}`));
});

test('"did you mean" keeps its order: nearest first, equal distances as given', () => {
  assert.deepEqual(closest('proxy_pas', ['proxy_pass', 'proxy_bind', 'grpc_pass', 'proxy_pas', 'Proxy_Pas']), ['Proxy_Pas', 'proxy_pass']);
});
