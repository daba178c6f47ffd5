import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { gzipToggleActions } from '../../../server/src/features/gzip-toggle';
import { range, type Range } from '../../../server/src/core/text';
import { parseNginx } from '../../../server/src/parsers/nginx/parser';
import { applyEdits } from '../apply-edits';
import { parsedFile } from '../rule-harness';

const actions = (text: string, at: Range) => gzipToggleActions(parsedFile('/n/nginx.conf', text, parseNginx), at);
const line = (n: number) => range(n, 0, n, 0);

const ORIGINAL = 'http {\n    gzip on;\n    gzip_types text/css;\n}\n';
const COMMENTED = 'http {\n    # gzip on; # origin-doctor: commented out to test a 502\n    gzip_types text/css;\n}\n';

test('comment out: a # before gzip and the marker after its ;, offered on its line', () => {
  const fixes = actions(ORIGINAL, range(1, 6, 1, 6));
  assert.deepEqual(fixes, [{
    title: 'Comment out gzip to test whether compression causes the 502',
    edits: [
      { file: '/n/nginx.conf', range: range(1, 4, 1, 4), newText: '# ' },
      { file: '/n/nginx.conf', range: range(1, 12, 1, 12), newText: ' # origin-doctor: commented out to test a 502' },
    ],
  }]);
  assert.equal(applyEdits(ORIGINAL, fixes[0].edits), COMMENTED);
});

test('restore: gives back the exact original line, trailing comment included', () => {
  const fixes = actions(COMMENTED, line(1));
  assert.deepEqual(fixes, [{
    title: 'Restore gzip',
    edits: [
      { file: '/n/nginx.conf', range: range(1, 4, 1, 6), newText: '' },
      { file: '/n/nginx.conf', range: range(1, 14, 1, 59), newText: '' },
    ],
  }]);
  assert.equal(applyEdits(COMMENTED, fixes[0].edits), ORIGINAL);

  const withComment = 'server {\n\tgzip  ON;  # compress text\n}\n';
  const commented = applyEdits(withComment, actions(withComment, line(1))[0].edits);
  assert.equal(commented, 'server {\n\t# gzip  ON; # origin-doctor: commented out to test a 502  # compress text\n}\n');
  assert.equal(applyEdits(commented, actions(commented, line(1))[0].edits), withComment);
});

test('a selection over several lines offers one action per gzip line in it', () => {
  const text = 'http {\n    gzip on;\n    server {\n        location / {\n            gzip on;\n        }\n    }\n}\n';
  assert.deepEqual(actions(text, range(0, 0, 7, 1)).map((f) => f.edits[0].range.start), [{ line: 1, character: 4 }, { line: 4, character: 12 }]);
});

test('not offered: other lines, gzip off, code after it that a # would hide, map data, comments without the marker', () => {
  assert.deepEqual(actions(ORIGINAL, line(2)), []);
  assert.deepEqual(actions('http {\n    gzip off;\n}\n', line(1)), []);
  assert.deepEqual(actions('http {\n    gzip on; gzip_vary on;\n}\n', line(1)), []);
  assert.deepEqual(actions('server {\n    location / { gzip on; }\n}\n', line(1)), []);
  assert.deepEqual(actions('http {\n    gzip\n        on;\n}\n', line(1)), []);
  assert.deepEqual(actions('http {\n    map $uri $x {\n        gzip on;\n    }\n}\n', line(2)), []);
  assert.deepEqual(actions('http {\n    # gzip on;\n}\n', line(1)), []);
  assert.deepEqual(actions('http {\n    # gzip on; # commented out to test a 502\n}\n', line(1)), []);
});
