import { range as makeRange, type Range } from '../../core/text';
import type { NginxComment } from './ast';

/**
 * Where a parsed directive, block or comment stands, kept as numbers and made a range when asked: a big config holds
 * one per line for as long as it is open, and few of their ranges are ever asked for.
 */
export abstract class ParsedSpan {
  constructor(
    protected readonly startLine: number,
    protected readonly startCharacter: number,
    protected endLine: number,
    protected endCharacter: number,
  ) {}

  get range(): Range {
    return makeRange(this.startLine, this.startCharacter, this.endLine, this.endCharacter);
  }

  /** Where it ends, once its block or raw body has been read. */
  endAt(line: number, character: number): void {
    this.endLine = line;
    this.endCharacter = character;
  }
}

/** A comment as read: its text, and its place as numbers (one object, where a range would add three). */
export class ParsedComment extends ParsedSpan implements NginxComment {
  constructor(readonly text: string, startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
    super(startLine, startCharacter, endLine, endCharacter);
  }

  /** The same comment `lines` lines further down (up, when negative). */
  shifted(lines: number): ParsedComment {
    return new ParsedComment(this.text, this.startLine + lines, this.startCharacter, this.endLine + lines, this.endCharacter);
  }
}

/** A comment `lines` lines further down; undefined for one the lexer did not read. */
export function shiftedComment(comment: NginxComment, lines: number): NginxComment | undefined {
  return comment instanceof ParsedComment ? comment.shifted(lines) : undefined;
}
