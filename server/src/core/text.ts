/**
 * Positions and ranges as LSP counts them: 0-based lines, UTF-16 code units.
 * JavaScript strings are UTF-16, so a string offset is already a UTF-16 offset.
 * Kept free of LSP imports so parsers and rules stay plain functions.
 */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function pos(line: number, character: number): Position {
  return { line, character };
}

export function range(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/**
 * `value` as a string of its own. V8 may make a cut of a long string a view into it, which keeps the whole string
 * alive for as long as the cut lives; an object's property name is always a string of its own.
 */
export function ownString(value: string): string {
  return Object.keys({ [value]: true })[0];
}

/**
 * The line break a file already uses (its first), so edits do not mix styles: `\r\n` or `\n`, never a lone `\r`,
 * which nginx takes for a blank but not for the end of a comment.
 */
export function lineBreakOf(text: string): string {
  return /\r\n|\n|\r/.exec(text)?.[0] === '\r\n' ? '\r\n' : '\n';
}

/**
 * Whether `offset` falls between the CR and the LF of a line break: editors count that place as the end of the line
 * (an escaped CR can end an nginx token there).
 */
export function isBetweenCrAndLf(text: string, offset: number): boolean {
  return text.charCodeAt(offset) === 10 && text.charCodeAt(offset - 1) === 13;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function containsPosition(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

/** Line starts of a text whose lines end in LF only, found by the engine's own search rather than a step per character. */
function startsOfLfLines(text: string): Uint32Array {
  let count = 1;
  for (let lf = text.indexOf('\n'); lf !== -1; lf = text.indexOf('\n', lf + 1)) count++;
  const starts = new Uint32Array(count);
  let line = 1;
  for (let lf = text.indexOf('\n'); lf !== -1; lf = text.indexOf('\n', lf + 1)) starts[line++] = lf + 1;
  return starts;
}

function startsOfAnyLines(text: string): Uint32Array {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return Uint32Array.from(starts);
}

/** Maps offsets to positions and back in O(log lines), built in O(length) when first asked. */
export class LineIndex {
  private starts: Uint32Array | undefined;

  constructor(readonly text: string) {}

  /**
   * Offset of the first character of each line. `\r\n`, `\n` and a lone `\r` all end a line. A typed array: half the
   * size of a list of numbers, and kept outside the JavaScript heap, where a big file's list, made anew on every
   * keystroke, would wait for a full collection. Found when first asked: an analysis that finds nothing never asks.
   */
  get lineStarts(): Uint32Array {
    this.starts ??= this.text.includes('\r') ? startsOfAnyLines(this.text) : startsOfLfLines(this.text);
    return this.starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts;
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low] - (isBetweenCrAndLf(this.text, clamped) ? 1 : 0) };
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts;
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.text.length;
    return Math.min(starts[position.line] + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** Offset just past the line's last character, before its line break. */
  lineEnd(line: number): number {
    const starts = this.lineStarts;
    const next = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    let end = next;
    if (end > starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }
}
