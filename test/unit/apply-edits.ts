import type { TextEdit } from '../../server/src/core/findings';
import { LineIndex } from '../../server/src/core/text';

/** Applies a fix's edits to one file's text, last edit first so earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const offsets = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const e of offsets) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
  return result;
}
