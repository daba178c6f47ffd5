import type { LineIndex } from '../core/text';
import { DATA_BLOCKS } from '../parsers/nginx/parser';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import { trimEndBlanks } from './format-tree';

/**
 * An nginx file as the formatter sees it: the tokens nginx reads, in order, each kept byte for byte;
 * only the whitespace between two tokens is the formatter's to choose.
 */
export type LayoutTokenKind = 'name' | 'arg' | ';' | '{' | '}' | 'comment' | 'verbatim';

export interface LayoutToken {
  kind: LayoutTokenKind;
  start: number;
  end: number;
  /** Block depth of the statement the token belongs to; for `verbatim`, of the block content. */
  depth: number;
  /** For a name in an aligned map-like block: the width its first argument is padded to. */
  alignWidth?: number;
}

interface Frame {
  directives: readonly NginxDirective[];
  index: number;
  depth: number;
  alignWidth?: number;
  /** The `}` to emit once the children are done. */
  close?: LayoutToken;
}

/**
 * The file's tokens in document order, comments merged in. `*_by_lua_block` bodies and (unless
 * `alignMapValues`) map-like block contents are single verbatim tokens. Iterative, so nesting depth is
 * bounded by memory only, like the parser's.
 */
export function layoutTokens(text: string, lines: LineIndex, parse: NginxParseResult, alignMapValues: boolean): LayoutToken[] {
  const offset = (p: { line: number; character: number }) => lines.offsetAt(p);
  const structural: LayoutToken[] = [];
  const verbatim: Array<{ start: number; end: number }> = [];
  const stack: Frame[] = [{ directives: parse.directives, index: 0, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.index >= frame.directives.length) {
      stack.pop();
      if (frame.close) structural.push(frame.close);
      continue;
    }
    const d = frame.directives[frame.index++];
    const depth = frame.depth;
    structural.push({ kind: 'name', start: offset(d.nameRange.start), end: offset(d.nameRange.end), depth, alignWidth: frame.alignWidth });
    for (const arg of d.args) structural.push({ kind: 'arg', start: offset(arg.range.start), end: offset(arg.range.end), depth });
    const end = offset(d.range.end);
    if (d.terminator === ';') {
      structural.push({ kind: ';', start: end - 1, end, depth });
      continue;
    }
    if (d.terminator !== '{') continue;
    const close: LayoutToken = { kind: '}', start: end - 1, end, depth };
    if (d.rawBody) {
      const bodyStart = offset(d.rawBody.range.start);
      structural.push({ kind: '{', start: bodyStart - 1, end: bodyStart, depth });
      pushVerbatim(bodyStart, offset(d.rawBody.range.end), depth + 1);
      structural.push(close);
    } else if (d.block) {
      const open = offset(d.block.range.start);
      structural.push({ kind: '{', start: open, end: open + 1, depth });
      // The entries of data blocks (map, types…) are aligned by hand: kept as written unless asked to align.
      if (DATA_BLOCKS.has(d.name) && !alignMapValues) {
        pushVerbatim(open + 1, close.start, depth + 1);
        structural.push(close);
      } else {
        const alignWidth = DATA_BLOCKS.has(d.name) ? entryNameWidth(d.block.children, lines) : undefined;
        stack.push({ directives: d.block.children, index: 0, depth: depth + 1, alignWidth, close });
      }
    }
  }
  const comments = parse.comments
    .map((c): LayoutToken => {
      const start = offset(c.range.start);
      return { kind: 'comment', start, end: start + 1 + trimEndBlanks(c.text).length, depth: 0 };
    })
    .filter((c) => !verbatim.some((v) => c.start >= v.start && c.start < v.end));
  return mergeByStart(structural, comments);

  /** A span kept as written, from `start` to its last non-blank character before `end`. */
  function pushVerbatim(start: number, end: number, depth: number): void {
    let last = end;
    while (last > start && /[ \t\r\n]/.test(text[last - 1])) last--;
    if (last === start) return;
    verbatim.push({ start, end: last });
    structural.push({ kind: 'verbatim', start, end: last, depth });
  }
}

/** The widest entry name among entries whose first value is on the name's line: the column values align to. */
function entryNameWidth(entries: readonly NginxDirective[], lines: LineIndex): number {
  let width = 0;
  for (const entry of entries) {
    const first = entry.args[0];
    if (first && first.range.start.line === entry.nameRange.end.line) {
      width = Math.max(width, lines.offsetAt(entry.nameRange.end) - lines.offsetAt(entry.nameRange.start));
    }
  }
  return width;
}

function mergeByStart(a: LayoutToken[], b: LayoutToken[]): LayoutToken[] {
  const merged: LayoutToken[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].start < b[j].start)) merged.push(a[i++]);
    else merged.push(b[j++]);
  }
  return merged;
}
