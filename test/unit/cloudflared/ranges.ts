import { strict as assert } from 'node:assert';
import { LineIndex, type Range } from '../../../server/src/core/text';
import type { CloudflaredEntry, CloudflaredParseResult } from '../../../server/src/parsers/cloudflared/ast';

/** Every range of the parse lies inside the text: a real line, a column within that line. */
export function assertRangesInside(text: string, parsed: CloudflaredParseResult): void {
  const lines = new LineIndex(text);
  const inside = (r: Range) => {
    for (const p of [r.start, r.end]) {
      assert.ok(p.line >= 0 && p.line < lines.lineCount, `line ${p.line} in ${JSON.stringify(text)}`);
      assert.ok(p.character >= 0 && p.character <= lines.lineText(p.line).length, `column in ${JSON.stringify(text)}`);
    }
    assert.ok(lines.offsetAt(r.start) <= lines.offsetAt(r.end), `start after end in ${JSON.stringify(text)}`);
  };
  const entries = (list: CloudflaredEntry[]) => list.forEach((e) => [e.keyRange, e.valueRange].forEach(inside));
  [...parsed.errors, ...parsed.warnings].forEach((e) => inside(e.range));
  entries(parsed.config.topLevel);
  entries(parsed.config.originRequest);
  for (const rule of parsed.config.ingress) {
    inside(rule.range);
    entries(rule.entries);
    entries(rule.originRequest);
  }
}
