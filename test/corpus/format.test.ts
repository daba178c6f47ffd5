/**
 * The formatter's guarantee on real files: for every nginx and php-fpm file of the corpus, formatting keeps the
 * tree (directive names, arguments as written, nesting, Lua bodies, comments; php-fpm sections, entries and
 * comments) identical, formatting the result again changes nothing, and formatting only a range keeps the tree
 * too. Files with syntax errors must be left alone. Run under two settings: 4 spaces, and tabs with map values
 * aligned.
 *
 * Run: ORIGIN_DOCTOR_CORPUS=<corpus root> node --test out/test/corpus/format.test.js
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/core/text';
import { formatEdits, type FormatOptions } from '../../server/src/features/format';
import { applyOffsetEdits, type FormatPlan } from '../../server/src/features/format-edits';
import { planFpmFormat } from '../../server/src/features/format-fpm';
import { planNginxFormat } from '../../server/src/features/format-nginx';
import { fpmTreeLines, nginxTreeLines, treeDifference } from '../../server/src/features/format-tree';
import { parseNginx } from '../../server/src/parsers/nginx/parser';
import { parseFpm } from '../../server/src/parsers/phpfpm/parser';
import { isKnownNginxDirective } from '../../server/src/reference/nginx';
import { applyEdits } from '../unit/apply-edits';

const corpusRoot = process.env.ORIGIN_DOCTOR_CORPUS;
if (!corpusRoot) throw new Error('ORIGIN_DOCTOR_CORPUS is not set: point it at the corpus root (the folder holding nginx/ and php-fpm/).');

const SETTINGS: readonly FormatOptions[] = [
  { tabSize: 4, insertSpaces: true },
  { tabSize: 4, insertSpaces: false, alignMapValues: true },
];

interface Format {
  kind: 'nginx' | 'php-fpm';
  /** The tree, or undefined when the text has syntax errors. */
  tree(text: string): string[] | undefined;
  plan(text: string, options: FormatOptions): FormatPlan;
}

const nginx: Format = {
  kind: 'nginx',
  tree(text) {
    const parse = parseNginx(text, { isDirectiveName: (name) => isKnownNginxDirective(name) });
    return parse.errors.length > 0 ? undefined : nginxTreeLines(text, parse);
  },
  plan: (text, options) => planNginxFormat(text, parseNginx(text, { isDirectiveName: (name) => isKnownNginxDirective(name) }), options),
};

const fpm: Format = {
  kind: 'php-fpm',
  tree(text) {
    const parse = parseFpm(text);
    return parse.errors.length > 0 ? undefined : fpmTreeLines(parse);
  },
  plan: (text) => planFpmFormat(text, parseFpm(text)),
};

function filesUnder(folder: string): string[] {
  assert.ok(existsSync(folder), `the corpus has no ${folder}`);
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

interface Tally {
  files: number;
  withSyntaxErrors: number;
  formatted: number;
  changed: number;
  treesEqual: number;
  idempotent: number;
  rangesEqual: number;
}

/** Checks one text under one setting; returns the problems found (none is the guarantee). */
function check(format: Format, text: string, options: FormatOptions, tally: Tally): string[] {
  const before = format.tree(text);
  const plan = format.plan(text, options);
  if (!before) {
    tally.withSyntaxErrors++;
    const edits = formatEdits(format.kind, text, options, []);
    return 'refused' in plan && edits?.length === 0 ? [] : ['a file with syntax errors got edits'];
  }
  if ('refused' in plan) return [`refused: ${plan.refused}`];
  tally.formatted++;
  if (plan.edits.length > 0) tally.changed++;
  const problems: string[] = [];
  const formatted = applyOffsetEdits(text, plan.edits);
  const after = format.tree(formatted);
  const difference = after ? treeDifference(before, after) : 'the formatted text has syntax errors';
  if (difference) problems.push(`tree changed: ${difference}`);
  else tally.treesEqual++;

  const again = format.plan(formatted, options);
  if ('refused' in again || again.edits.length > 0) problems.push(`not idempotent: ${'refused' in again ? again.refused : `${again.edits.length} more edits`}`);
  else tally.idempotent++;

  // The checked path gives the same edits (its own safety net did not have to step in).
  const checked = formatEdits(format.kind, text, options, []) ?? [];
  if (applyEdits(text, checked.map((c) => ({ file: '', ...c }))) !== formatted) problems.push('the checked edits differ from the plan');

  // A range formatting of the middle third of the file keeps the tree as well.
  const lines = new LineIndex(text);
  const third = Math.floor(lines.lineCount / 3);
  const range = { start: { line: third, character: 0 }, end: { line: 2 * third, character: 0 } };
  const partial = applyEdits(text, (formatEdits(format.kind, text, options, [], range) ?? []).map((c) => ({ file: '', ...c })));
  const partialTree = format.tree(partial);
  if (!partialTree || treeDifference(before, partialTree)) problems.push('range formatting changed the tree');
  else tally.rangesEqual++;
  return problems;
}

for (const format of [nginx, fpm]) {
  test(`${format.kind}: formatting every corpus file keeps its tree and is idempotent`, (t) => {
    const folder = join(corpusRoot, format.kind);
    const files = filesUnder(folder);
    const failures: string[] = [];
    for (const [index, options] of SETTINGS.entries()) {
      const tally: Tally = { files: 0, withSyntaxErrors: 0, formatted: 0, changed: 0, treesEqual: 0, idempotent: 0, rangesEqual: 0 };
      for (const file of files) {
        tally.files++;
        const problems = check(format, readFileSync(file, 'utf8'), options, tally);
        for (const problem of problems) failures.push(`${relative(corpusRoot, file)} (setting ${index + 1}): ${problem}`);
      }
      t.diagnostic(`setting ${index + 1} ${JSON.stringify(options)}: ${tally.files} files, ${tally.withSyntaxErrors} left alone for syntax errors, `
        + `${tally.formatted} formatted (${tally.changed} changed), ${tally.treesEqual} trees equal, ${tally.idempotent} idempotent, `
        + `${tally.rangesEqual} range formattings equal`);
      assert.ok(tally.formatted > 0, 'no file was formatted');
    }
    assert.deepEqual(failures, []);
  });
}
