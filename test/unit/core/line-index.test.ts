import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LineIndex } from '../../../server/src/core/text';

test('LineIndex: a place between the CR and the LF of a line break is the end of its line (found by the engine fuzz)', () => {
  // `b\` and a CR: an argument nginx reads up to the LF, whose range ends there.
  const lines = new LineIndex('pass b\\\r\nnext;\r\n');
  assert.deepEqual(lines.positionAt(7), { line: 0, character: 7 });
  assert.deepEqual(lines.positionAt(8), { line: 0, character: 7 });
  assert.deepEqual(lines.positionAt(9), { line: 1, character: 0 });
  assert.deepEqual(lines.rangeOf(5, 8), { start: { line: 0, character: 5 }, end: { line: 0, character: 7 } });
});

test('LineIndex: LF, CRLF and a lone CR each end a line; offsets map to places and back', () => {
  const text = 'a\nbb\r\nccc\rd';
  const lines = new LineIndex(text);
  assert.equal(lines.lineCount, 4);
  assert.deepEqual([0, 1, 2, 4, 5, 6, 7, 9, 10, 11].map((offset) => lines.positionAt(offset)), [
    { line: 0, character: 0 }, { line: 0, character: 1 }, { line: 1, character: 0 }, { line: 1, character: 2 },
    { line: 1, character: 2 }, { line: 2, character: 0 }, { line: 2, character: 1 }, { line: 2, character: 3 },
    { line: 3, character: 0 }, { line: 3, character: 1 },
  ]);
  assert.deepEqual([0, 1, 2, 3].map((line) => lines.lineText(line)), ['a', 'bb', 'ccc', 'd']);
  assert.equal(lines.offsetAt({ line: 1, character: 9 }), 4);
});
