import { lineBreakOf, LineIndex } from '../core/text';
import type { NginxParseResult } from '../parsers/nginx/ast';
import { indentUnit, type FormatOptions, type FormatPlan, type OffsetEdit } from './format-edits';
import { layoutTokens, type LayoutToken } from './format-nginx-tokens';

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Plans the formatting of an nginx file: indentation by block depth, one directive per line, comments where
 * they are (a trailing comment stays on its line), arguments that span lines kept on their lines, strings,
 * regexes, `${var}`, Lua bodies and map-like blocks untouched. Only the whitespace between two tokens
 * changes, and only in ways nginx's tokenizer cannot tell apart: a line break stays after every comment and
 * between two arguments that had one. A file with syntax errors is left alone.
 */
export function planNginxFormat(text: string, parse: NginxParseResult, options: FormatOptions): FormatPlan {
  if (parse.errors.length > 0) return { refused: 'the file has syntax errors' };
  const lines = new LineIndex(text);
  const tokens = layoutTokens(text, lines, parse, options.alignMapValues === true);
  if (tokens.length === 0) return { edits: [] };
  const gaps: Array<{ start: number; end: number; text: string }> = [];
  let previousEnd = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const token of [...tokens, undefined]) {
    const end = token ? token.start : text.length;
    const gap = text.slice(previousEnd, end);
    if (!/^[ \t\r\n]*$/.test(gap)) return { refused: `unexpected text ${JSON.stringify(gap.trim().slice(0, 20))} between tokens` };
    gaps.push({ start: previousEnd, end, text: gap });
    if (token) previousEnd = token.end;
  }
  const layout = new Layout(lineBreakBetweenTokens(gaps) ?? lineBreakOf(text), indentUnit(options));
  const edits: OffsetEdit[] = [];
  gaps.forEach((gap, i) => {
    const token = tokens[i];
    const newText = token ? layout.before(token, tokens[i - 1], gap.text) : layout.atEnd(gap.text, options.insertFinalNewline !== false);
    if (newText !== gap.text) edits.push({ start: gap.start, end: gap.end, newText });
  });
  return { edits };
}

/**
 * The file's line break style, from the first line break between two tokens: once formatted, every such break
 * is one the formatter wrote, so formatting again picks the same style.
 */
function lineBreakBetweenTokens(gaps: ReadonlyArray<{ text: string }>): string | undefined {
  const gap = gaps.find((g) => /[\r\n]/.test(g.text));
  return gap ? lineBreakOf(gap.text) : undefined;
}

/** Chooses the whitespace before each token, walking the tokens in order. */
class Layout {
  /** Depth of the statements that may start here. */
  private depth = 0;
  /** The statement being read: its indentation as written (when its name began a line) and as formatted. */
  private statement: { written?: string; formatted: string } | undefined;

  constructor(
    private readonly lineBreak: string,
    private readonly unit: string,
  ) {}

  before(token: LayoutToken, previous: LayoutToken | undefined, gap: string): string {
    const breaks = countLineBreaks(gap);
    const newText = this.gapBefore(token, previous, gap, breaks);
    this.advance(token, previous === undefined || breaks > 0 ? gap : undefined);
    return newText;
  }

  atEnd(gap: string, finalNewline: boolean): string {
    return finalNewline || countLineBreaks(gap) > 0 ? this.lineBreak : '';
  }

  private gapBefore(token: LayoutToken, previous: LayoutToken | undefined, gap: string, breaks: number): string {
    if (!previous) return '';
    const afterComment = previous.kind === 'comment';
    switch (token.kind) {
      case 'name':
        return this.newLines(breaks, previous) + this.indent(token.depth);
      case 'arg':
        if (afterComment || breaks > 0) return this.lineBreak + this.continuation(gap);
        if (gap === '') return '';
        return previous.kind === 'name' && previous.alignWidth !== undefined
          ? ' '.repeat(previous.alignWidth - (previous.end - previous.start) + 1)
          : ' ';
      case ';':
        return afterComment ? this.lineBreak + this.continuation(gap) : '';
      case '{':
        return afterComment ? this.lineBreak + this.indent(token.depth) : ' ';
      case '}':
        if (previous.kind === '{' && !afterComment) return '';
        if (previous.kind === 'verbatim' && breaks === 0) return gap;
        return this.lineBreak + this.indent(token.depth);
      case 'comment':
        if (breaks === 0) return ' ';
        return this.newLines(breaks, previous) + (this.statement ? this.continuation(gap) : this.indent(this.depth));
      case 'verbatim':
        return gap;
    }
  }

  private advance(token: LayoutToken, writtenGap: string | undefined): void {
    switch (token.kind) {
      case 'name':
        this.statement = {
          written: writtenGap === undefined ? undefined : lastLine(writtenGap),
          formatted: this.indent(token.depth),
        };
        break;
      case ';':
        this.statement = undefined;
        break;
      case '{':
        this.statement = undefined;
        this.depth = token.depth + 1;
        break;
      case '}':
        this.depth = token.depth;
        break;
    }
  }

  /** One line break, or two to keep one blank line, never right after a `{`. */
  private newLines(breaks: number, previous: LayoutToken): string {
    return breaks > 1 && previous.kind !== '{' ? this.lineBreak + this.lineBreak : this.lineBreak;
  }

  /**
   * The indentation of a statement's continuation line: what it had beyond the statement's own indentation
   * (so hand-aligned `log_format` strings stay aligned, a tab there counting as one unit), else one unit deeper.
   */
  private continuation(gap: string): string {
    const statement = this.statement;
    const formatted = statement?.formatted ?? this.indent(this.depth);
    const written = lastLine(gap);
    if (statement?.written !== undefined && written.startsWith(statement.written)) {
      return formatted + written.slice(statement.written.length).replace(/\t/g, this.unit);
    }
    return formatted + this.unit;
  }

  private indent(depth: number): string {
    return this.unit.repeat(depth);
  }
}

function countLineBreaks(gap: string): number {
  return gap.match(LINE_BREAK)?.length ?? 0;
}

/** The whitespace after the gap's last line break: a token's indentation as written. */
function lastLine(gap: string): string {
  return /[^\r\n]*$/.exec(gap)![0];
}
