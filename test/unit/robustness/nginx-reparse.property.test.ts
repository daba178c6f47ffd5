/**
 * Re-reading only the edited block must give exactly what a full parse gives: any nginx-ish text, any run of
 * edits (characters that open and close blocks, quotes, comments, line breaks, deletions).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../../../server/src/core/text';
import { parseNginx } from '../../../server/src/parsers/nginx/parser';
import { reparseNginx, type EarlierParse } from '../../../server/src/parsers/nginx/reparse';
import { isKnownNginxDirective } from '../../../server/src/reference/nginx';
import { plain } from '../parsers/plain-parse';
import { NGINX_TOKENS, nginxText } from './arbitraries';
import { fuzzParameters } from './budget';

const OPTIONS = { isDirectiveName: (name: string) => isKnownNginxDirective(name) };

const edit = fc.record({
  // Ten-thousandths of the text's length: doubles would crowd near 0, at the file's start.
  at: fc.integer({ min: 0, max: 10_000 }),
  removed: fc.nat({ max: 3 }),
  inserted: fc.oneof(fc.constantFrom('', ' ', 'x', ...NGINX_TOKENS), fc.string({ maxLength: 3 })),
});

test('reparse after each of several edits equals a full parse of the edited text', () => {
  fc.assert(
    fc.property(nginxText, fc.array(edit, { minLength: 1, maxLength: 6 }), (start, edits) => {
      let earlier: EarlierParse = { text: start, lines: new LineIndex(start), parse: parseNginx(start, OPTIONS) };
      for (const { at, removed, inserted } of edits) {
        const offset = Math.floor((at / 10_000) * earlier.text.length);
        const text = earlier.text.slice(0, offset) + inserted + earlier.text.slice(offset + removed);
        const parse = reparseNginx(earlier, text, OPTIONS);
        assert.deepEqual(plain(parse), plain(parseNginx(text, OPTIONS)));
        earlier = { text, lines: new LineIndex(text), parse };
      }
    }),
    fuzzParameters(300),
  );
});
