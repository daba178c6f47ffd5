import { comparePositions, containsPosition, type LineIndex, type Position, type Range } from '../core/text';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import { trimEndBlanks } from './format-tree';

/**
 * What the cursor stands on in an nginx file that may be half typed: read from the current line's text
 * (nginx's tokenizer rules, up to the cursor) and, for what came before the line, from the parse tree.
 */
export type NginxCursor =
  | { kind: 'none' }
  /** Where a directive name goes. `blocks`: the names of the enclosing blocks, outermost first. */
  | { kind: 'directive'; replace: Range; blocks: string[] }
  /** An argument of `directive`; `previous` holds the values of the arguments before it. */
  | { kind: 'argument'; directive: string; previous: string[]; partial: string; replace: Range; blocks: string[] }
  /** A variable after `$` (or `${`), in an argument or a string. */
  | { kind: 'variable'; braced: boolean; replace: Range; blocks: string[] };

interface LineScan {
  /** Words before the one at the cursor, since the line's last `;`, `{` or `}`. */
  words: string[];
  /** A `;`, `{` or `}` came earlier on the line. */
  afterPunctuation: boolean;
  inComment: boolean;
  inQuote: boolean;
  /** Column where the word at the cursor starts (the cursor's own column when there is none). */
  partialStart: number;
  /** Column of the first of `words`, else `partialStart`. */
  statementStart: number;
}

export function nginxCursor(text: string, lines: LineIndex, parse: NginxParseResult, position: Position): NginxCursor {
  if (insideLuaBody(parse.directives, position)) return { kind: 'none' };
  const lineText = lines.lineText(position.line).slice(0, position.character);
  const scan = scanLine(lineText);
  if (scan.inComment) return { kind: 'none' };
  const partial = lineText.slice(scan.partialStart);
  const blocks = enclosingBlocks(parse.directives, position);
  const replaceFrom = (column: number): Range => ({ start: { line: position.line, character: column }, end: position });

  const words = scan.words.map(unquote);
  // A line that the parser read as a new directive (a known name after a missing `;`) does not continue the one above.
  const startsDirective = directiveNamedAt(parse.directives, { line: position.line, character: scan.statementStart }) !== undefined;
  const open = scan.afterPunctuation || startsDirective ? undefined : openStatementBefore(text, lines, parse, lines.lineStarts[position.line]);
  const statement = open
    ? { directive: open.name, previous: [...open.args.filter((a) => a.range.end.line < position.line).map((a) => a.value), ...words] }
    : words.length > 0 ? { directive: words[0], previous: words.slice(1) } : undefined;
  if (!statement) return scan.inQuote ? { kind: 'none' } : { kind: 'directive', replace: replaceFrom(scan.partialStart), blocks };

  const variable = /\$(\{?)[A-Za-z0-9_]*$/.exec(partial);
  if (variable) return { kind: 'variable', braced: variable[1] === '{', replace: replaceFrom(scan.partialStart + variable.index), blocks };
  if (scan.inQuote) return { kind: 'none' };
  return { kind: 'argument', ...statement, partial, replace: replaceFrom(scan.partialStart), blocks };
}

/** ngx_conf_read_token()'s rules over one line: quotes, backslash escapes, `${`, comments, `;` `{` `}`. */
function scanLine(line: string): LineScan {
  const scan: LineScan = { words: [], afterPunctuation: false, inComment: false, inQuote: false, partialStart: line.length, statementStart: -1 };
  let wordStart = -1;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (wordStart < 0) {
      if (c === ' ' || c === '\t') continue;
      if (c === '#') return { ...scan, inComment: true };
      if (c === ';' || c === '{' || c === '}') {
        scan.words = [];
        scan.afterPunctuation = true;
        continue;
      }
      wordStart = i;
      if (scan.words.length === 0) scan.statementStart = i;
      quote = c === '"' || c === "'" ? c : '';
      if (c === '\\') i++;
      continue;
    }
    if (c === '\\') {
      i++;
    } else if (quote) {
      if (c === quote) {
        scan.words.push(line.slice(wordStart, i + 1));
        wordStart = -1;
      }
    } else if (c === '$' && line[i + 1] === '{') {
      i++;
    } else if (c === ' ' || c === '\t' || c === ';' || c === '{') {
      scan.words.push(line.slice(wordStart, i));
      wordStart = -1;
      if (c !== ' ' && c !== '\t') {
        scan.words = [];
        scan.afterPunctuation = true;
      }
    }
  }
  if (wordStart >= 0) {
    scan.partialStart = wordStart;
    scan.inQuote = quote !== '';
  }
  if (scan.words.length === 0) scan.statementStart = scan.partialStart;
  return scan;
}

function unquote(word: string): string {
  return /^(["']).*\1$/s.test(word) ? word.slice(1, -1) : word;
}

/** Names of the blocks whose braces enclose the position, outermost first (an unclosed block runs to the end). */
function enclosingBlocks(directives: readonly NginxDirective[], position: Position): string[] {
  const names: string[] = [];
  let level = directives;
  for (;;) {
    const holder = level.find((d) => d.block && isInsideBraces(d.block.range, d.block.closed, position));
    if (!holder) return names;
    names.push(holder.name);
    level = holder.block!.children;
  }
}

function isInsideBraces(range: Range, closed: boolean, position: Position): boolean {
  return comparePositions(position, range.start) > 0 && (closed ? comparePositions(position, range.end) < 0 : containsPosition(range, position));
}

function insideLuaBody(directives: readonly NginxDirective[], position: Position): boolean {
  let level = directives;
  for (;;) {
    const hit = level.find((d) => containsPosition(d.range, position));
    if (!hit) return false;
    if (hit.rawBody) return containsPosition(hit.rawBody.range, position);
    if (!hit.block) return false;
    level = hit.block.children;
  }
}

/**
 * The statement still open where a line starts: the text before it (comments skipped) ends with something
 * other than `;`, `{` or `}`, so the line continues that directive's arguments (a multi-line `log_format`).
 */
function openStatementBefore(text: string, lines: LineIndex, parse: NginxParseResult, lineStart: number): NginxDirective | undefined {
  const commentStartByEnd = new Map<number, number>();
  for (const c of parse.comments) {
    const start = lines.offsetAt(c.range.start);
    commentStartByEnd.set(start + 1 + trimEndBlanks(c.text).length, start);
  }
  let end = lineStart;
  for (;;) {
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    const commentStart = commentStartByEnd.get(end);
    if (commentStart === undefined) break;
    end = commentStart;
  }
  if (end === 0 || ';{}'.includes(text[end - 1])) return undefined;
  return directiveWithHeaderAt(parse.directives, lines.positionAt(end - 1));
}

/** The directive whose name starts at the position. */
function directiveNamedAt(directives: readonly NginxDirective[], position: Position): NginxDirective | undefined {
  let level = directives;
  for (;;) {
    const named = level.find((d) => comparePositions(d.nameRange.start, position) === 0);
    if (named) return named;
    const holder = level.find((d) => d.block && containsPosition(d.block.range, position));
    if (!holder) return undefined;
    level = holder.block!.children;
  }
}

/** The directive whose name or arguments cover the position. */
function directiveWithHeaderAt(directives: readonly NginxDirective[], position: Position): NginxDirective | undefined {
  let level = directives;
  for (;;) {
    const owner = level.find((d) => {
      const headerEnd = d.args.length > 0 ? d.args[d.args.length - 1].range.end : d.nameRange.end;
      return comparePositions(d.nameRange.start, position) <= 0 && comparePositions(position, headerEnd) <= 0;
    });
    if (owner) return owner;
    const holder = level.find((d) => d.block && containsPosition(d.block.range, position));
    if (!holder) return undefined;
    level = holder.block!.children;
  }
}
