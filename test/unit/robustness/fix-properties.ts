import { strict as assert } from 'node:assert';
import type { Finding, Fix } from '../../../server/src/core/findings';
import type { Settings } from '../../../server/src/core/settings';
import type { Position } from '../../../server/src/core/text';
import type { Rule } from '../../../server/src/core/rule';
import type { Engine } from '../../../server/src/engine/engine';
import { suppressionFix } from '../../../server/src/features/suppress';
import { ALL_RULES } from '../../../server/src/rules';
import { applyFix, carried, samePosition, type Changes } from './fix-edits';
import { assertSilencesOnly } from './suppression-properties';

/**
 * The properties every quick fix must have (issue 12, property 3), checked on every fix of every finding of an
 * engine's workspace, and on the "Disable … for this line" action the language server adds to each finding:
 *
 * (c) Its edits lie inside workspace documents and never overlap: per file, sorted by range, each ends before or
 *     where the next starts (fix-edits.ts).
 * (a) It adds no syntax error: for every file, rule and message, the fixed workspace has no more findings of
 *     nginx/syntax, php-fpm/syntax or cloudflared/yaml-syntax than the original (counted, not placed: a fix that
 *     moves a rule of the tunnel's list moves the errors inside it too). Nor does it make nginx or php-fpm refuse a
 *     directive they took before, as unknown or not allowed where it stands: a fix that puts a directive where
 *     nginx -t says "is not allowed here" breaks the config as surely as a missing brace. A refused directive is
 *     known by its place, carried through the edits: renaming an unknown `porxy_read_timeout` inside an `if` to
 *     `proxy_read_timeout` only shows that it was never allowed there.
 * (b) Applied twice, it changes nothing the second time. "Its finding" after the fix is one of the same rule in
 *     the same file that starts where the original started, carried through the edits; findings that shared that
 *     spot before with another message (an upstream's second address, a pool's other problem on its header) are
 *     other findings, which the fix never claimed to change. Then, by kind of fix:
 *       - a resolving fix (every rule's, unless PARTIAL_FIXES names the rule): no finding of its own is left, which
 *         implies that the editor cannot offer it twice;
 *       - a partial fix: the finding may stay, but a fix with the same title that it offers then must leave every
 *         text as it is;
 *       - "Disable … for this line": its comment is never a no-op, so a second application always changes the text;
 *         instead it must silence its finding and change nothing else (suppression-properties.ts).
 * A fix that changes no text at all fails too: the editor would offer an action that does nothing; and so does one
 * that writes a bare LF into a file whose lines all end in CRLF.
 */

const SYNTAX_RULES = new Set(['nginx/syntax', 'php-fpm/syntax', 'cloudflared/yaml-syntax']);

/** The directives nginx and php-fpm refuse while reading a file, unknown or out of place (cloudflared ignores unknown keys). */
const REFUSAL_RULES = new Set(['nginx/unknown-directive', 'nginx/directive-not-allowed-here', 'php-fpm/unknown-directive']);

/** Rules whose fix mends one part of what the finding is about, so a finding may stay where it was, and why. */
export const PARTIAL_FIXES: Readonly<Record<string, string>> = {
  'php-fpm/max-children-low': 'the finding is about all pools of a master together; each pool\'s fix sets its own share',
  'php-fpm/max-children-exceeds-memory': 'the finding is about all pools of a master together; each pool\'s fix sets its own share',
  'php-fpm/pm-invalid': 'php-fpm checks a pool\'s settings one after the other and stops at the first refusal; once it is mended, the next one '
    + 'shows, at the same place when both are about settings the pool lacks (its header)',
  'cloudflared/hostname-never-matches': 'one hostname can carry two problems (a bare "*" and capitals), one finding and fix each',
};

const OUTCOMES = ['resolved', 'offered again as a no-op', 'still reported'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** How many fixes were checked, by rule and outcome, and how many "Disable … for this line" actions. */
export class FixTally {
  readonly byRule = new Map<string, Record<Outcome, number>>();
  suppressions = 0;

  add(rule: string, outcome: Outcome): void {
    const counts = this.byRule.get(rule) ?? { resolved: 0, 'offered again as a no-op': 0, 'still reported': 0 };
    counts[outcome]++;
    this.byRule.set(rule, counts);
  }

  /** Fixes checked of each rule. */
  fixesByRule(): Record<string, number> {
    return Object.fromEntries([...this.byRule].map(([rule, counts]) => [rule, OUTCOMES.reduce((sum, o) => sum + counts[o], 0)]));
  }

  get fixes(): number {
    return Object.values(this.fixesByRule()).reduce((sum, n) => sum + n, 0);
  }

  /** One line per rule: `rule: N fixes (resolved R, offered again as a no-op O, still reported S)`. */
  table(): string {
    const totals = this.fixesByRule();
    return [...this.byRule]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([rule, counts]) => `  ${rule}: ${totals[rule]} fixes (${OUTCOMES.map((o) => `${o} ${counts[o]}`).join(', ')})`)
      .join('\n');
  }
}

/** Checks every fix of every finding, and every finding's suppression, on the engine's workspace; leaves it as it was. */
export function checkAllFixes(engine: Engine, tally: FixTally): void {
  const settings = engine.currentSettings;
  const before = engine.analyze().findings;
  try {
    for (const finding of before) {
      for (const fix of finding.fixes ?? []) {
        const outcome = checkFix(engine, settings, before, finding, fix, PARTIAL_FIXES[finding.rule] ? 'partial' : 'resolving');
        tally.add(finding.rule, outcome);
      }
      const file = engine.parsedFile(finding.file)!;
      checkFix(engine, settings, before, finding, suppressionFix(finding, file.lines, engine.kindOf(finding.file)!), 'suppression');
      tally.suppressions++;
    }
  } finally {
    engine.setSettings(settings);
  }
}

/**
 * `settings` with every rule off but the finding's own and the load-error rules of the formats the fix edits: the
 * properties look at nothing else, a rule's findings do not depend on which other rules run, and a file's load errors
 * do not change when a file of another format does. The same judgement, several times faster.
 */
function judging(engine: Engine, settings: Settings, finding: Finding, fix: Fix): Settings {
  const formats = new Set(fix.edits.map((e) => engine.kindOf(e.file)));
  const judged = (rule: Rule) => rule.id === finding.rule || (formats.has(rule.format) && (SYNTAX_RULES.has(rule.id) || REFUSAL_RULES.has(rule.id)));
  const off = ALL_RULES.filter((rule) => !judged(rule)).map((rule) => [rule.id, 'off'] as const);
  return { ...settings, rules: { ...settings.rules, ...Object.fromEntries(off) } };
}

type FixKind = 'resolving' | 'partial' | 'suppression';

const BARE_LF = /(^|[^\r])\n/;

function checkFix(engine: Engine, settings: Settings, before: Finding[], finding: Finding, fix: Fix, kind: FixKind): Outcome {
  engine.setSettings(judging(engine, settings, finding, fix));
  const label = `${finding.rule}: "${fix.title}"`;
  const changes = applyFix(fix, (file) => engine.parsedFile(file)?.text, label);
  const where = describe(finding, fix, changes);
  assert.ok([...changes.values()].some((c) => c.after !== c.before), `the fix changes no text\n${where}`);
  for (const [file, change] of changes) {
    if (/\r\n/.test(change.before) && !BARE_LF.test(change.before)) assert.ok(!BARE_LF.test(change.after), `the fix writes a bare LF into ${file}, a CRLF file\n${where}`);
  }
  const parsedBefore = engine.parsedFile(finding.file)!;
  for (const [file, change] of changes) engine.setFile(file, change.after, engine.kindOf(file)!);
  try {
    const after = engine.analyze().findings;
    assertNoNewLoadError(before, after, changes, where);
    if (kind !== 'suppression') return assertIdempotent(engine, before, after, finding, fix, changes, kind, where);
    assertSilencesOnly(finding, engine.kindOf(finding.file)!, parsedBefore, engine.parsedFile(finding.file)!, after, changes, where);
    return 'resolved';
  } finally {
    for (const [file, change] of changes) engine.setFile(file, change.before, engine.kindOf(file)!);
  }
}

/** (a): per file, rule and message no more syntax errors than before, and no refused directive where none was. */
function assertNoNewLoadError(before: Finding[], after: Finding[], changes: Changes, where: string): void {
  const counts = new Map<string, number>();
  const message = (f: Finding) => `${f.file}\0${f.rule}\0${f.message}`;
  for (const f of before) if (SYNTAX_RULES.has(f.rule)) counts.set(message(f), (counts.get(message(f)) ?? 0) + 1);
  const place = (file: string, { line, character }: Position) => `${file}\0${line}:${character}`;
  const refused = new Set(before.filter((f) => REFUSAL_RULES.has(f.rule)).map((f) => place(f.file, carried(f.file, f.range.start, changes))));
  for (const error of after) {
    let known: boolean;
    if (SYNTAX_RULES.has(error.rule)) {
      const left = (counts.get(message(error)) ?? 0) - 1;
      counts.set(message(error), left);
      known = left >= 0;
    } else if (REFUSAL_RULES.has(error.rule)) {
      known = refused.has(place(error.file, error.range.start));
    } else {
      continue;
    }
    assert.ok(known, `the fix adds a load error: ${error.rule} ${error.file}:${error.range.start.line + 1}:${error.range.start.character + 1} ${error.message}\n${where}`);
  }
}

/** (b) for the rules' own fixes, resolving or partial; returns what became of the finding. */
function assertIdempotent(
  engine: Engine, before: Finding[], after: Finding[], finding: Finding, fix: Fix, changes: Changes, kind: FixKind, where: string,
): Outcome {
  const spot = carried(finding.file, finding.range.start, changes);
  const others = before
    .filter((f) => f !== finding && f.rule === finding.rule && f.file === finding.file && samePosition(f.range.start, finding.range.start))
    .map((f) => f.message);
  const left = after.filter((f) => {
    if (f.rule !== finding.rule || f.file !== finding.file || !samePosition(f.range.start, spot)) return false;
    const other = others.indexOf(f.message);
    if (other === -1) return true;
    others.splice(other, 1);
    return false;
  });
  if (left.length === 0) return 'resolved';
  assert.ok(kind === 'partial', `the fix leaves its finding: ${left.map((f) => f.message).join(' | ')}\n${where}`);
  const again = left.flatMap((f) => f.fixes ?? []).filter((f) => f.title === fix.title);
  for (const second of again) {
    for (const [file, change] of applyFix(second, (id) => engine.parsedFile(id)?.text, `${finding.rule}: "${fix.title}" again`)) {
      assert.equal(change.after, change.before, `"${fix.title}" applied a second time changes ${file}\n${where}`);
    }
  }
  return again.length > 0 ? 'offered again as a no-op' : 'still reported';
}

/** The finding, the fix and the fixed text of each file it touches, for a failure message. */
function describe(finding: Finding, fix: Fix, changes: Changes): string {
  const { start } = finding.range;
  const texts = [...changes].map(([file, change]) => `--- ${file} after the fix:\n${change.after}`);
  return [`finding: ${finding.rule} ${finding.file}:${start.line + 1}:${start.character + 1} ${finding.message}`,
    `fix: ${fix.title} ${JSON.stringify(fix.edits)}`, ...texts].join('\n');
}
