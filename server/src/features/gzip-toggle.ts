import { appendAll } from '../core/append';
import type { Fix, TextEdit } from '../core/findings';
import type { Range } from '../core/text';
import type { ParsedFile } from '../model/workspace';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';

/**
 * Cloudflare's own advice for a 502 that compression may cause: turn gzip off, test, turn it back on.
 * "Comment out" marks the line so "Restore" finds it again and gives back the exact original text.
 */
export const GZIP_TEST_MARKER = 'origin-doctor: commented out to test a 502';

const COMMENT_OUT_TITLE = 'Comment out gzip to test whether compression causes the 502';
const RESTORE_TITLE = 'Restore gzip';

/** Blocks that may hold `gzip` (http, server, location, if in location); others hold data or other modules. */
const GZIP_BLOCKS = new Set(['http', 'server', 'location', 'if']);

/** `# gzip on; # <marker>`, as "Comment out" writes it: group 1 is the blank between `#` and `gzip`. */
const COMMENTED_GZIP = new RegExp(`^([ \\t]*)gzip[ \\t]+on[ \\t]*;( # ${GZIP_TEST_MARKER})`, 'i');

/** The comment-out and restore actions for the `gzip on;` lines and marked comments that `range` touches. */
export function gzipToggleActions(file: ParsedFile<NginxParseResult>, range: Range): Fix[] {
  const touches = (r: Range) => r.start.line <= range.end.line && r.end.line >= range.start.line;
  const commentOut = gzipOnDirectives(file.parse.directives)
    .filter((d) => touches(d.range) && canCommentOut(file, d))
    .map((d) => ({ title: COMMENT_OUT_TITLE, edits: commentOutEdits(file, d) }));
  const restore = file.parse.comments
    .filter((c) => touches(c.range))
    .flatMap((c) => {
      const edits = restoreEdits(file, c.text, c.range);
      return edits ? [{ title: RESTORE_TITLE, edits }] : [];
    });
  return [...commentOut, ...restore];
}

function gzipOnDirectives(directives: readonly NginxDirective[]): NginxDirective[] {
  const found: NginxDirective[] = [];
  const pending = [...directives];
  while (pending.length > 0) {
    const d = pending.pop()!;
    if (d.name === 'gzip' && d.terminator === ';' && d.args.length === 1 && d.args[0].value.toLowerCase() === 'on') found.push(d);
    if (d.block && GZIP_BLOCKS.has(d.name)) appendAll(pending, d.block.children);
  }
  return found.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** One line, followed by nothing but blanks or a comment: a `#` before it then hides only this directive. */
function canCommentOut(file: ParsedFile<NginxParseResult>, d: NginxDirective): boolean {
  const { start, end } = d.range;
  return start.line === end.line && /^[ \t]*(#.*)?$/.test(file.lines.lineText(end.line).slice(end.character));
}

function commentOutEdits(file: ParsedFile<NginxParseResult>, d: NginxDirective): TextEdit[] {
  const { start, end } = d.range;
  return [
    { file: file.id, range: { start, end: start }, newText: '# ' },
    { file: file.id, range: { start: end, end }, newText: ` # ${GZIP_TEST_MARKER}` },
  ];
}

/** Removes the `# ` before `gzip` and the marker after its `;`; undefined for any other comment. */
function restoreEdits(file: ParsedFile<NginxParseResult>, text: string, range: Range): TextEdit[] | undefined {
  const match = COMMENTED_GZIP.exec(text);
  if (!match) return undefined;
  const line = range.start.line;
  const at = (offset: number) => ({ line, character: range.start.character + 1 + offset });
  const markerEnd = match[0].length;
  const markerStart = markerEnd - match[2].length;
  return [
    { file: file.id, range: { start: range.start, end: at(match[1].length) }, newText: '' },
    { file: file.id, range: { start: at(markerStart), end: at(markerEnd) }, newText: '' },
  ];
}
