import type { Position, Range } from 'vscode-languageserver-protocol';

/**
 * The client's own copy of a document under edit, kept apart from the server's TextDocument so that the two can
 * be compared: offsets count UTF-16 units, and lines end at LF, CRLF or a lone CR, as LSP counts them.
 */
export class EditedText {
  private lineStarts: number[] = [];

  constructor(private current: string) {
    this.index();
  }

  get text(): string {
    return this.current;
  }

  /** `offset` moved back out of a CRLF: a position cannot point between its CR and its LF. */
  editableOffset(offset: number): number {
    const at = Math.max(0, Math.min(offset, this.current.length));
    return this.current[at - 1] === '\r' && this.current[at] === '\n' ? at - 1 : at;
  }

  positionAt(offset: number): Position {
    let line = 0;
    for (let low = 0, high = this.lineStarts.length - 1; low <= high;) {
      const middle = (low + high) >> 1;
      if (this.lineStarts[middle] <= offset) {
        line = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return { line, character: offset - this.lineStarts[line] };
  }

  /** Replaces the text from `start` to `end` (editable offsets) and returns the change as incremental sync sends it. */
  replace(start: number, end: number, text: string): { range: Range; text: string } {
    const range = { start: this.positionAt(start), end: this.positionAt(end) };
    this.current = this.current.slice(0, start) + text + this.current.slice(end);
    this.index();
    return { range, text };
  }

  private index(): void {
    this.lineStarts = [0];
    for (const match of this.current.matchAll(/\r\n|\r|\n/g)) this.lineStarts.push(match.index! + match[0].length);
  }
}
