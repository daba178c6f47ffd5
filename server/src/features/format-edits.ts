import type { LineIndex, Range } from '../core/text';

/** An LSP TextEdit, mirrored: a replacement within the formatted document. */
export interface TextChange {
  range: Range;
  newText: string;
}

/** A replacement by offsets, as the formatters plan them. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** What the formatters are told by the editor (LSP FormattingOptions) and by our settings. */
export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  /** Absent means true: a formatted file ends with one line break. */
  insertFinalNewline?: boolean;
  /** `originDoctor.format.alignMapValues`: align the values of map-like nginx blocks into a column. */
  alignMapValues?: boolean;
}

/** A formatter's plan: the edits, or why it leaves the file alone. */
export type FormatPlan = { edits: OffsetEdit[] } | { refused: string };

export function indentUnit(options: FormatOptions): string {
  return options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t';
}

/** The text with non-overlapping edits applied. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let result = '';
  let copied = 0;
  for (const edit of sorted) {
    result += text.slice(copied, edit.start) + edit.newText;
    copied = edit.end;
  }
  return result + text.slice(copied);
}

/**
 * The edits a range formatting request may make: those that end inside the range (an edit of the
 * whitespace before a token belongs to that token's line). An empty range takes the edit ending there.
 */
export function editsInRange(edits: readonly OffsetEdit[], from: number, to: number): OffsetEdit[] {
  return edits.filter((edit) => edit.end >= from && (edit.end < to || edit.end === from));
}

export function toTextChanges(edits: readonly OffsetEdit[], lines: LineIndex): TextChange[] {
  return edits.map((edit) => ({ range: lines.rangeOf(edit.start, edit.end), newText: edit.newText }));
}
