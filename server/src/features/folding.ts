import { appendAll } from '../core/append';
import type { Range } from '../core/text';
import type { Engine } from '../engine/engine';
import type { ParsedFile } from '../model/workspace';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';

/** An LSP FoldingRange, mirrored: the lines from `startLine` through `endLine` fold under `startLine`. */
export interface FoldRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

/**
 * Folding for nginx blocks (Lua bodies too) and php-fpm sections, and for runs of two or more comment
 * lines. null for cloudflared YAML: the editor's indentation folding already fits it.
 */
export function foldingRangesOf(engine: Engine, path: string): FoldRange[] | null {
  const kind = engine.kindOf(path);
  const file = engine.parsedFile(path);
  if (!file) return null;
  if (kind === 'nginx') return nginxFolds(file as ParsedFile<NginxParseResult>);
  if (kind === 'php-fpm') return fpmFolds(file as ParsedFile<FpmParseResult>);
  return null;
}

function nginxFolds(file: ParsedFile<NginxParseResult>): FoldRange[] {
  const folds: FoldRange[] = [];
  const pending: NginxDirective[] = [...file.parse.directives];
  while (pending.length > 0) {
    const d = pending.pop()!;
    const body = d.block?.range ?? d.rawBody?.range;
    // The closing `}` stays visible, unless it ends the file unclosed.
    if (body) addFold(folds, body.start.line, d.block?.closed === false ? body.end.line : d.range.end.line - 1);
    if (d.block) appendAll(pending, d.block.children);
  }
  appendAll(folds, commentRuns(file, file.parse.comments.map((c) => c.range)));
  return folds.sort((a, b) => a.startLine - b.startLine);
}

function fpmFolds(file: ParsedFile<FpmParseResult>): FoldRange[] {
  const folds: FoldRange[] = [];
  const { sections } = file.parse;
  sections.forEach((section, i) => {
    const nextHeader = i + 1 < sections.length ? sections[i + 1].headerRange.start.line : file.lines.lineCount;
    let last = nextHeader - 1;
    while (last > section.headerRange.start.line && file.lines.lineText(last).trim() === '') last--;
    addFold(folds, section.headerRange.start.line, last);
  });
  appendAll(folds, commentRuns(file, file.parse.comments.map((c) => c.range)));
  return folds.sort((a, b) => a.startLine - b.startLine);
}

function addFold(folds: FoldRange[], startLine: number, endLine: number): void {
  if (endLine > startLine) folds.push({ startLine, endLine });
}

/** Consecutive lines that hold nothing but a comment, two or more of them. */
function commentRuns(file: ParsedFile<unknown>, comments: readonly Range[]): FoldRange[] {
  const runs: FoldRange[] = [];
  let run: FoldRange | undefined;
  for (const range of comments) {
    const line = range.start.line;
    const alone = file.lines.lineText(line).slice(0, range.start.character).trim() === '';
    if (alone && run && line === run.endLine + 1) {
      run.endLine = line;
      continue;
    }
    if (run && run.endLine > run.startLine) runs.push(run);
    run = alone ? { startLine: line, endLine: line, kind: 'comment' } : undefined;
  }
  if (run && run.endLine > run.startLine) runs.push(run);
  return runs;
}
