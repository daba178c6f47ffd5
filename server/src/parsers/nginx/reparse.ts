import { MAX_RECORDED_ERRORS } from '../../core/listing';
import { comparePositions, type LineIndex, type Position, type Range } from '../../core/text';
import type { NginxComment, NginxDirective, NginxParseOptions, NginxParseResult, NginxSyntaxError } from './ast';
import { CR, LF, SPACE, TAB } from './lexer';
import { DATA_BLOCKS, markReadsRawBody, parseNginx, parseNginxStatements, readsRawBody, shiftedDown, shiftedRange, withChildren } from './parser';
import { shiftedComment } from './span';

/** A file as it was parsed before an edit. */
export interface EarlierParse {
  text: string;
  lines: LineIndex;
  parse: NginxParseResult;
}

/**
 * Parses `text`, an edited copy of `before.text`, reading again only what the edit can have changed. nginx's reader
 * starts every statement afresh after a `{`, `;` or `}`; so the statements of the innermost level around the edit are
 * read again from the end of the last statement before it up to the first place after it, on the edit's last line
 * or later, where the new reading ends a statement just where the earlier one did. Everything before and after reads
 * as it did; what comes after stands as many lines lower as the edit added (a copy of it, when that is not none).
 * The result is what `parseNginx(text)` returns. Typing in a big config thus costs the statement around the cursor
 * and, for a line break, a copy of what follows, not a reading of the whole file.
 */
export function reparseNginx(before: EarlierParse, text: string, options: NginxParseOptions = {}): NginxParseResult {
  if (text === before.text) return before.parse;
  return reparseAroundEdit(before, text, options) ?? parseNginx(text, options);
}

interface Edit {
  /** The changed stretch: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
  start: number;
  oldEnd: number;
  newEnd: number;
  /** Where it stands in the old text. */
  from: Position;
  to: Position;
  /** Lines it added (removed, when negative): how far down what follows it moved. */
  lines: number;
}

/** A level of the earlier parse: the top of the file, or the content of a block directive (`owner`). */
interface Level {
  children: readonly NginxDirective[];
  owner?: NginxDirective;
  /** The owner's place among its own level's children. */
  index: number;
}

function reparseAroundEdit(before: EarlierParse, text: string, options: NginxParseOptions): NginxParseResult | undefined {
  // A stray `{` puts what follows it into its enclosing level while the reader is one block deeper: the earlier
  // parse's levels then no longer tell where the reader stood.
  if (before.parse.errors.some((error) => error.message === 'unexpected "{"')) return undefined;
  // Errors past the recorded ones were only counted: where they stand is not known.
  if (before.parse.errorsNotRecorded) return undefined;
  // OpenResty's reader of a Lua block looks ahead for closing quotes and brackets, as far as the file goes: text after
  // the edit may change where a Lua block before it ends. (One the edit brings in is read within the new run.)
  if (readsRawBody(before.parse)) return undefined;
  const stretch = changedStretch(before.text, text);
  const lines = linesAdded(before.text, text, stretch);
  if (lines === undefined) return undefined;
  const edit: Edit = { ...stretch, lines, from: before.lines.positionAt(stretch.start), to: before.lines.positionAt(stretch.oldEnd) };
  const levels = levelsHolding(before.parse.directives, edit);
  // The innermost level first; one whose run cannot be matched up leaves it to the level around it.
  for (let depth = levels.length - 1; depth >= 0; depth--) {
    const children = reparseLevel(before, text, edit, levels[depth], options);
    if (children) return rebuilt(levels, depth, children, edit.lines);
  }
  return undefined;
}

/** A level's new children, comments and errors, or undefined when the new reading does not meet the old one. */
interface LevelResult {
  children: NginxDirective[];
  comments: NginxComment[];
  errors: NginxSyntaxError[];
  readRawBody: boolean;
}

function reparseLevel(before: EarlierParse, text: string, edit: Edit, level: Level, options: NginxParseOptions): LevelResult | undefined {
  const { children, owner } = level;
  const { lines } = before;
  const delta = edit.newEnd - edit.oldEnd;
  // Statements from the first one that reaches the edit, moved back past any that did not end cleanly.
  let first = firstEndingAtOrAfter(children, edit.from);
  while (first > 0 && !endsCleanly(children[first - 1])) first--;
  const fromPosition = first > 0 ? children[first - 1].range.end : owner ? afterOpenBrace(owner) : { line: 0, character: 0 };
  const from = first > 0 || owner ? { offset: lines.offsetAt(fromPosition), line: fromPosition.line, lineStart: lines.lineStarts[fromPosition.line] } : undefined;

  let resumeAt = -1;
  const endsAt = (offset: number): boolean => {
    if (offset < edit.newEnd) return false;
    const old = offset - delta;
    const index = childEndingAt(children, lines, old);
    if (index < first || !endsCleanly(children[index]) || !restOfLineIsBlank(before.text, old, edit.to.line, lines)) return false;
    resumeAt = index + 1;
    return true;
  };
  const run = parseNginxStatements(text, { from, isDataBlock: !!owner && DATA_BLOCKS.has(owner.name), inBlock: !!owner, endsAt, detached: true }, options);

  // What the earlier parse found from `keptFrom` on (old places) stays; none of it when the run read to the end.
  let keptAfter: readonly NginxDirective[] = [];
  let keptFrom: Position | undefined;
  if (run.end.by === 'asked') {
    const moved = shiftedAll(children.slice(resumeAt), edit.lines);
    if (!moved) return undefined;
    keptAfter = moved;
    keptFrom = lines.positionAt(run.end.offset - delta);
  } else if (run.end.by === 'close' && owner) {
    // The block must still close at its old `}`, on a later line than the edit, so that its place stays; one that
    // was left open must not close now.
    const close = owner.block!.range.end;
    if (!owner.block!.closed || run.end.offset !== lines.offsetAt(close) - 1 + delta || close.line <= edit.to.line) return undefined;
    keptFrom = close;
  } else if (run.end.by !== 'file' || owner) {
    return undefined;
  }
  const errors = spliced(before.parse.errors, run.errors, fromPosition, keptFrom, edit.lines, shiftedError);
  // A reading of the whole file would keep the first errors only, and count the others.
  if (!errors || run.errorsNotRecorded || errors.length > MAX_RECORDED_ERRORS) return undefined;
  const comments = spliced(before.parse.comments, run.comments, fromPosition, keptFrom, edit.lines, shiftedComment);
  if (!comments) return undefined;
  return { children: [...children.slice(0, first), ...run.directives, ...keptAfter], comments, errors, readRawBody: run.readRawBody };
}

/**
 * The parse with one level's children replaced: the directives from the top down to it are copied, and those after
 * them moved down `lines` lines; the earlier parse stays as it was.
 */
function rebuilt(levels: readonly Level[], depth: number, result: LevelResult, lines: number): NginxParseResult | undefined {
  let children: NginxDirective[] = result.children;
  for (let d = depth; d > 0; d--) {
    const { index, owner } = levels[d];
    const after = shiftedAll(levels[d - 1].children.slice(index + 1), lines);
    if (!after) return undefined;
    children = [...levels[d - 1].children.slice(0, index), withChildren(owner!, children, lines), ...after];
  }
  const parse = { directives: children, comments: result.comments, errors: result.errors };
  if (result.readRawBody) markReadsRawBody(parse);
  return parse;
}

/** Characters compared at once, by the engine's own string comparison, before the last stretch is stepped through. */
const CHUNK = 4096;

/** The shortest stretch outside of which the two texts are the same. */
function changedStretch(old: string, text: string): { start: number; oldEnd: number; newEnd: number } {
  const shorter = Math.min(old.length, text.length);
  let start = 0;
  while (start + CHUNK <= shorter && old.slice(start, start + CHUNK) === text.slice(start, start + CHUNK)) start += CHUNK;
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = old.length;
  let newEnd = text.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && old.slice(oldEnd - CHUNK, oldEnd) === text.slice(newEnd - CHUNK, newEnd)) {
    oldEnd -= CHUNK;
    newEnd -= CHUNK;
  }
  while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/**
 * The lines the edit adds (removes, when negative): the line feeds it brings in less those it takes out. Undefined
 * where a carriage return takes part, as a lone one breaks a line too and text put inside a CRLF makes it two.
 */
function linesAdded(old: string, text: string, edit: { start: number; oldEnd: number; newEnd: number }): number | undefined {
  if (old.charCodeAt(edit.start - 1) === CR) return undefined;
  const removed = lineFeeds(old, edit.start, edit.oldEnd);
  const added = lineFeeds(text, edit.start, edit.newEnd);
  return removed === undefined || added === undefined ? undefined : added - removed;
}

/** The line feeds between two offsets; undefined when a carriage return is among them. */
function lineFeeds(text: string, from: number, to: number): number | undefined {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) return undefined;
    if (c === LF) count++;
  }
  return count;
}

/** Copies of directives read before an edit, `lines` lines further down; the same ones when it added none. */
function shiftedAll(directives: NginxDirective[], lines: number): NginxDirective[] | undefined {
  if (lines === 0) return directives;
  const moved: NginxDirective[] = [];
  for (const directive of directives) {
    const copy = shiftedDown(directive, lines);
    if (!copy) return undefined;
    moved.push(copy);
  }
  return moved;
}

/**
 * The top level, then each block whose content holds the edit and that ends on a later line: at its `}`, or at the end
 * of the file for a block left open (as while one is being typed), an end an edit within one line does not move.
 */
function levelsHolding(top: readonly NginxDirective[], edit: Edit): Level[] {
  const levels: Level[] = [{ children: top, index: -1 }];
  for (;;) {
    const { children } = levels[levels.length - 1];
    const index = firstEndingAtOrAfter(children, edit.from);
    const directive = children[index];
    const block = directive?.block;
    if (!block) return levels;
    const { start: open, end } = block.range;
    const lastInside = block.closed ? { line: end.line, character: end.character - 1 } : end;
    const inside = comparePositions(edit.from, afterOpenBrace(directive)) >= 0 && comparePositions(edit.to, lastInside) <= 0;
    if (!inside || end.line <= edit.to.line || comparePositions(open, edit.from) >= 0) return levels;
    levels.push({ children: block.children, owner: directive, index });
  }
}

function afterOpenBrace(owner: NginxDirective): Position {
  const open = owner.block!.range.start;
  return { line: open.line, character: open.character + 1 };
}

/** The first directive of a level whose text ends at or after `at`. */
function firstEndingAtOrAfter(children: readonly NginxDirective[], at: Position): number {
  return firstAtOrAfter(children, at, (directive) => directive.range.end);
}

/** The first of `items`, in document order, whose `place` is at or after `at`, found by halving (there may be thousands). */
function firstAtOrAfter<T>(items: readonly T[], at: Position, place: (item: T) => Position): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (comparePositions(place(items[mid]), at) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The directive of a level whose text ends just before `offset`, or -1. */
function childEndingAt(children: readonly NginxDirective[], lines: LineIndex, offset: number): number {
  const index = firstEndingAtOrAfter(children, lines.positionAt(offset));
  return index < children.length && lines.offsetAt(children[index].range.end) === offset ? index : -1;
}

/** Ended by `;` or by the `}` of its block: nginx's reader starts the next statement afresh. */
function endsCleanly(directive: NginxDirective): boolean {
  return directive.terminator === ';' || (directive.terminator === '{' && directive.block?.closed === true && !directive.rawBody);
}

/**
 * After a place on the edited line, only blanks up to a line break: everything the earlier parse found after that
 * place then stands on later lines, which the edit did not move.
 */
function restOfLineIsBlank(text: string, offset: number, editLine: number, lines: LineIndex): boolean {
  if (lines.positionAt(offset).line > editLine) return true;
  let i = offset;
  while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
  const c = text.charCodeAt(i);
  return c === LF || c === CR;
}

/**
 * The earlier parse's items before `from` and from `keptFrom` on (old places, those moved `lines` lines down by
 * `shift`), with the new ones between; undefined where `shift` cannot move one. Items are in document order, so
 * where they start is found by halving: a big file has thousands of comments.
 */
function spliced<T extends { readonly range: Range }>(
  old: readonly T[], between: readonly T[], from: Position, keptFrom: Position | undefined, lines: number,
  shift: (item: T, lines: number) => T | undefined,
): T[] | undefined {
  const start = (item: T) => item.range.start;
  const before = old.slice(0, firstAtOrAfter(old, from, start));
  const kept = keptFrom ? old.slice(firstAtOrAfter(old, keptFrom, start)) : [];
  if (lines === 0) return [...before, ...between, ...kept];
  const after: T[] = [];
  for (const item of kept) {
    const moved = shift(item, lines);
    if (!moved) return undefined;
    after.push(moved);
  }
  return [...before, ...between, ...after];
}

function shiftedError(error: NginxSyntaxError, lines: number): NginxSyntaxError {
  return { ...error, range: shiftedRange(error.range, lines, lines) };
}
