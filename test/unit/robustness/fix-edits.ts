import { strict as assert } from 'node:assert';
import type { FileId, Fix } from '../../../server/src/core/findings';
import { LineIndex, type Position } from '../../../server/src/core/text';
import { applyOffsetEdits, type OffsetEdit } from '../../../server/src/features/format-edits';
import { assertRangeInside } from './ranges';

/** One file a fix touches: its text before, the fix's edits of it sorted by range, and its text after. */
export interface FileChange {
  before: string;
  linesBefore: LineIndex;
  edits: OffsetEdit[];
  after: string;
  linesAfter: LineIndex;
}

/** The fix's changes, by file. */
export type Changes = Map<FileId, FileChange>;

/**
 * Applies a fix to the texts `textOf` gives, checking property (c) on the way: every edit lies inside a document of
 * the workspace, and a file's edits, sorted by range, do not overlap (each ends before or where the next starts).
 * Inserts at one position are applied in the fix's order, as LSP applies them.
 */
export function applyFix(fix: Fix, textOf: (file: FileId) => string | undefined, label: string): Changes {
  const changes: Changes = new Map();
  for (const file of new Set(fix.edits.map((e) => e.file))) {
    const text = textOf(file);
    assert.ok(text !== undefined, `${label} edits ${file}, which is not a workspace document`);
    const lines = new LineIndex(text);
    const edits = fix.edits.filter((e) => e.file === file).map((e) => {
      assertRangeInside(lines, e.range, `${label}, an edit in ${file}`);
      return { start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText };
    });
    // A stable sort: inserts at one position keep the fix's order.
    edits.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < edits.length; i++) {
      assert.ok(edits[i - 1].end <= edits[i].start, `${label} has overlapping edits in ${file}: ${JSON.stringify(fix.edits)}`);
    }
    const after = applyOffsetEdits(text, edits);
    changes.set(file, { before: text, linesBefore: lines, edits, after, linesAfter: new LineIndex(after) });
  }
  return changes;
}


/**
 * Where a position of the text before the fix is after it: moved by the edits before it (an insert at the position
 * itself pushes it on); a position inside a replaced range goes to the replacement's start.
 */
export function carried(file: FileId, position: Position, changes: Changes): Position {
  const change = changes.get(file);
  if (!change) return position;
  const offset = change.linesBefore.offsetAt(position);
  let shift = 0;
  for (const edit of change.edits) {
    if (edit.end <= offset) shift += edit.newText.length - (edit.end - edit.start);
    else if (edit.start <= offset) return change.linesAfter.positionAt(edit.start + shift);
    else break;
  }
  return change.linesAfter.positionAt(offset + shift);
}

export function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}
