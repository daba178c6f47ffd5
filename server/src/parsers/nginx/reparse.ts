import { comparePositions, type LineIndex, type Position } from '../../core/text';
import type { NginxComment, NginxDirective, NginxParseOptions, NginxParseResult, NginxSyntaxError } from './ast';
import { DATA_BLOCKS, parseNginx, parseNginxBlockBody, withChildren } from './parser';

/** A file as it was parsed before an edit. */
export interface EarlierParse {
  text: string;
  lines: LineIndex;
  parse: NginxParseResult;
}

const LF = 10;
const CR = 13;

/**
 * Parses `text`, an edited copy of `before.text`, reading again only what the edit can have changed: when the edit
 * stays within one line inside a block that still closes at the same `}`, only that block's content is read. nginx's
 * reader starts every statement afresh after a `{` and after a `}`, so everything before and after the block reads as
 * it did, at the same places, and the result is what `parseNginx(text)` returns. Typing in a big config thus costs the
 * few lines around the cursor, not the whole file.
 */
export function reparseNginx(before: EarlierParse, text: string, options: NginxParseOptions = {}): NginxParseResult {
  if (text === before.text) return before.parse;
  return reparseInsideBlock(before, text, options) ?? parseNginx(text, options);
}

interface Edit {
  /** The changed stretch: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
  start: number;
  oldEnd: number;
  newEnd: number;
}

interface PathStep {
  directive: NginxDirective;
  /** Its place among its level's directives. */
  index: number;
}

function reparseInsideBlock(before: EarlierParse, text: string, options: NginxParseOptions): NginxParseResult | undefined {
  const edit = changedStretch(before.text, text);
  if (changesLines(before.text, text, edit)) return undefined;
  const start = before.lines.positionAt(edit.start);
  const end = before.lines.positionAt(edit.oldEnd);
  const path = blocksHolding(before.parse.directives, start, end);
  if (path.length === 0) return undefined;

  const target = path[path.length - 1].directive;
  const block = target.block!;
  const open = block.range.start;
  const closeOffset = before.lines.offsetAt(block.range.end) - 1;
  const from = { offset: before.lines.offsetAt(open) + 1, line: open.line, lineStart: before.lines.lineStarts[open.line] };
  const body = parseNginxBlockBody(text, from, DATA_BLOCKS.has(target.name), options);
  if (!body || body.closeOffset !== closeOffset + (edit.newEnd - edit.oldEnd)) return undefined;

  // The path from the top down to the block is copied; the earlier parse stays as it was.
  let replaced = withChildren(target, body.directives);
  for (let i = path.length - 2; i >= 0; i--) {
    const children = path[i].directive.block!.children.slice();
    children[path[i + 1].index] = replaced;
    replaced = withChildren(path[i].directive, children);
  }
  const directives = before.parse.directives.slice();
  directives[path[0].index] = replaced;

  const bodyStart = { line: open.line, character: open.character + 1 };
  const closing = { line: block.range.end.line, character: block.range.end.character - 1 };
  return {
    directives,
    comments: spliced<NginxComment>(before.parse.comments, body.comments, bodyStart, closing),
    errors: spliced<NginxSyntaxError>(before.parse.errors, body.errors, bodyStart, closing),
  };
}

/** The shortest stretch outside of which the two texts are the same. */
function changedStretch(old: string, text: string): Edit {
  const shorter = Math.min(old.length, text.length);
  let start = 0;
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = old.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** Whether the edit adds, removes or splits a line break, which moves every later line. */
function changesLines(old: string, text: string, edit: Edit): boolean {
  // Text put between the CR and LF of a CRLF turns one line break into two.
  if (old.charCodeAt(edit.start - 1) === CR) return true;
  return hasLineBreak(old, edit.start, edit.oldEnd) || hasLineBreak(text, edit.start, edit.newEnd);
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return true;
  }
  return false;
}

/**
 * The closed blocks that hold the edit, outermost first: each must hold it between its braces and close on a later
 * line, so that its `}` and all after it keep their places.
 */
function blocksHolding(top: readonly NginxDirective[], start: Position, end: Position): PathStep[] {
  const path: PathStep[] = [];
  let level = top;
  for (;;) {
    const index = directiveHolding(level, start, end);
    if (index < 0) return path;
    const directive = level[index];
    const block = directive.block;
    if (!block || !block.closed) return path;
    const { start: open, end: close } = block.range;
    const insideBraces = comparePositions(start, { line: open.line, character: open.character + 1 }) >= 0
      && comparePositions(end, { line: close.line, character: close.character - 1 }) <= 0;
    if (!insideBraces || close.line <= end.line) return path;
    path.push({ directive, index });
    level = block.children;
  }
}

/** The directive of a level whose text holds the edit, found by halving (a level may hold thousands), or -1. */
function directiveHolding(level: readonly NginxDirective[], start: Position, end: Position): number {
  let low = 0;
  let high = level.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (comparePositions(level[mid].range.start, start) <= 0) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found >= 0 && comparePositions(level[found].range.end, end) >= 0 ? found : -1;
}

/** Items of the earlier parse outside a block's content, with the content's new ones in their place. */
function spliced<T extends { range: { start: Position } }>(old: readonly T[], inside: readonly T[], bodyStart: Position, closing: Position): T[] {
  const before = old.filter((item) => comparePositions(item.range.start, bodyStart) < 0);
  const after = old.filter((item) => comparePositions(item.range.start, closing) > 0);
  return [...before, ...inside, ...after];
}
