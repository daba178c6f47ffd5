import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Fix } from '../../server/src/core/findings';
import type { Rule } from '../../server/src/core/rule';
import { resolveSettings } from '../../server/src/core/settings';
import { Engine } from '../../server/src/engine/engine';
import { classifyByPath } from '../../server/src/model/classify';
import { diskFileSystem } from '../../server/src/model/host';
import { ALL_RULES, ruleById } from '../../server/src/rules';
import { applyEdits } from '../unit/apply-edits';

/** The rule's source file, as the message for a rule not written yet names it. */
function ruleSourceFile(id: string): string {
  return `server/src/rules/${id}.ts`;
}

/**
 * The rule by id: the registered one, else the rule file's export (rules are proven here before
 * they are registered). Throws, naming the file, when neither exists yet.
 */
export function ruleUnderTest(id: string): Rule {
  const registered = ruleById(id);
  if (registered) return registered;
  let module: { rule?: Rule };
  try {
    module = require(join(__dirname, '../../server/src/rules', id)) as { rule?: Rule };
  } catch {
    throw new Error(`rule ${id} does not exist yet (${ruleSourceFile(id)})`);
  }
  if (module.rule?.id !== id) throw new Error(`${ruleSourceFile(id)} does not export the rule ${id}`);
  return module.rule;
}

export interface Lint {
  findings: Finding[];
  /** What the engine logged, e.g. a rule that threw. */
  log: string[];
}

/** The engine over config files on disk, each classified by its name and folder as the editor would. */
export function lintFiles(paths: readonly string[], ruleId: string, settings: unknown): Lint {
  const rule = ruleUnderTest(ruleId);
  const log: string[] = [];
  const rules = ALL_RULES.includes(rule) ? ALL_RULES : [...ALL_RULES, rule];
  const engine = new Engine(diskFileSystem, resolveSettings(settings), (message) => log.push(message), rules);
  for (const path of paths) {
    const kind = classifyByPath(path);
    if (kind === 'nginx' || kind === 'php-fpm') engine.setFile(path, readFileSync(path, 'utf8'), kind);
  }
  return { findings: engine.analyze().findings.filter((f) => f.rule === ruleId), log };
}

/** The fix the editor offers first: the preferred one, else the first. */
export function preferredFix(finding: Finding): Fix | undefined {
  return finding.fixes?.find((fix) => fix.isPreferred) ?? finding.fixes?.[0];
}

/** Writes a fix's edits to the files they name, as accepting it in the editor and saving would. */
export function applyFix(fix: Fix): void {
  const files = new Set(fix.edits.map((edit) => edit.file));
  for (const file of files) {
    const edits = fix.edits.filter((edit) => edit.file === file);
    writeFileSync(file, applyEdits(readFileSync(file, 'utf8'), edits));
  }
}
