import type { Position, Range } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../../server/src/core/text';

/**
 * The client's own copy of a document under edit, kept apart from the server's TextDocument so that the two can
 * be compared: offsets count UTF-16 units, and lines end at LF, CRLF or a lone CR, as LSP counts them.
 */
export class EditedText {
  private lines: LineIndex;

  constructor(text: string) {
    this.lines = new LineIndex(text);
  }

  get text(): string {
    return this.lines.text;
  }

  /** `offset` moved back out of a CRLF: a position cannot point between its CR and its LF. */
  editableOffset(offset: number): number {
    const text = this.lines.text;
    const at = Math.max(0, Math.min(offset, text.length));
    return text[at - 1] === '\r' && text[at] === '\n' ? at - 1 : at;
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  /** Replaces the text from `start` to `end` (editable offsets) and returns the change as incremental sync sends it. */
  replace(start: number, end: number, text: string): { range: Range; text: string } {
    const range = this.lines.rangeOf(start, end);
    const current = this.lines.text;
    this.lines = new LineIndex(current.slice(0, start) + text + current.slice(end));
    return { range, text };
  }
}
