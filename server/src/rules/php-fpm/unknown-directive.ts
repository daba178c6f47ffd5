import type { FileId, Fix } from '../../core/findings';
import type { Report, Rule } from '../../core/rule';
import { closest } from '../../core/suggest';
import type { Range } from '../../core/text';
import type { FpmEntry } from '../../parsers/phpfpm/ast';
import { fpmEntries } from '../../parsers/phpfpm/parser';
import { arrayKeyProblem, findFpmDirective, fpmDirectiveNames, sectionKind, type FpmForm, type FpmSectionKind } from '../../reference/phpfpm';

/** Suggestions offered at most, nearest first. */
const MAX_SUGGESTIONS = 3;

export const rule: Rule = {
  id: 'php-fpm/unknown-directive',
  format: 'php-fpm',
  defaultSeverity: 'error',
  title: 'Unknown php-fpm setting, or one in the wrong section',
  docs: `Finds keys php-fpm 8.2 does not know where they stand, with php-fpm's own words:
\`unknown entry 'pm.max_chidren'\` for a misspelt or made-up setting, the same for a pool setting such as
\`listen\` written under \`[global]\` or a global one such as \`pid\` written in a pool, \`unknown directive 'x'\` for
an unknown \`x[…]\` array and \`Array are not allowed in the global section\` for \`php_value[…]\` and friends
under \`[global]\`. It suggests the nearest valid name, with a quick fix that renames the key.
Settings before the first \`[section]\` of a file belong to the section the file is included from (a file
included after \`[www]\` continues the pool); the first of them that exists in only one kind of section decides
which kind, and until one does, either is accepted.
Option names match case-insensitively, as php-fpm compares them; \`include\` and array names must be lower case.

**At runtime:** php-fpm refuses the whole configuration at that line and does not start (\`php-fpm -t\` fails; a
reload takes the running master down). nginx finds nothing listening on the pool's socket, logs
\`connect() … failed\` and answers **502 Bad Gateway** to every PHP request.

**What to change:** correct the spelling, or move the line to the section it belongs to: \`listen\`, \`pm.*\`,
\`user\`, \`php_value[…]\` and the other pool settings under a pool header such as \`[www]\`; \`pid\`, \`error_log\`,
\`log_level\`, \`emergency_restart_*\`, \`process_control_timeout\` and \`daemonize\` under \`[global]\`.
\`listen.setfib\` exists only on FreeBSD.`,
  check(ctx) {
    for (const file of ctx.model.fpm) {
      const preamble = preambleKinds(file.parse.preamble);
      for (const entry of fpmEntries(file.parse)) {
        const place: Place = entry.section ? { kinds: [sectionKind(entry.section.name)], section: entry.section.name } : { kinds: preamble };
        const report = entry.arrayKey ? arrayEntryProblem(entry, entry.arrayKey, place, file.id) : scalarEntryProblem(entry, place, file.id);
        if (report) ctx.report(report);
      }
    }
  },
};

/** Where an entry is read: the kinds of section that can hold it, and its section's name when it has a header. */
interface Place {
  kinds: FpmSectionKind[];
  section?: string;
}

/**
 * Before its first header, a file continues the section it is included from. Its first entry that exists in only
 * one kind of section tells which; until one does, both kinds are possible.
 */
function preambleKinds(preamble: FpmEntry[]): FpmSectionKind[] {
  for (const entry of preamble) {
    if (entry.arrayKey) {
      if (findFpmDirective(entry.arrayKey.base, 'pool', 'array')) return ['pool'];
      continue;
    }
    const global = findFpmDirective(entry.key, 'global', 'scalar') !== undefined;
    const pool = findFpmDirective(entry.key, 'pool', 'scalar') !== undefined;
    if (global !== pool) return [global ? 'global' : 'pool'];
  }
  return ['global', 'pool'];
}

function scalarEntryProblem(entry: FpmEntry, place: Place, file: FileId): Report | undefined {
  const known = place.kinds.map((kind) => findFpmDirective(entry.key, kind, 'scalar')).find((d) => d !== undefined);
  const unknown = `unknown entry '${entry.key}'`;
  if (known?.onlyOn) {
    return { file, range: entry.keyRange, message: `${unknown} — only php-fpm on ${known.onlyOn} accepts \`${known.name}\`` };
  }
  if (known) return undefined;
  if (place.kinds.length === 1) {
    const elsewhere = findFpmDirective(entry.key, place.kinds[0] === 'global' ? 'pool' : 'global', 'scalar');
    if (elsewhere) return { file, range: entry.keyRange, message: `${unknown} — ${misplaced(elsewhere.name, place)}` };
  }
  return misspelt(unknown, entry.key, entry.keyRange, place.kinds, 'scalar', file);
}

function misplaced(name: string, place: Place): string {
  const [kind] = place.kinds;
  if (place.section === undefined) {
    return kind === 'global'
      ? `\`${name}\` is a pool setting, but this file's first settings (before any section header) are global ones`
      : `\`${name}\` is a global setting, but this file's first settings (before any section header) are pool ones`;
  }
  return kind === 'global'
    ? `\`${name}\` is a pool setting and belongs under a pool header such as [www], not under [${place.section}]`
    : `\`${name}\` is a global setting and belongs under [global], not in pool [${place.section}]`;
}

function arrayEntryProblem(entry: FpmEntry, arrayKey: { base: string; name: string }, place: Place, file: FileId): Report | undefined {
  const { base } = arrayKey;
  // A missing or superfluous key is what php-fpm reports first; php-fpm/syntax says so.
  if (arrayKeyProblem(base, arrayKey.name)) return undefined;
  if (place.kinds.length === 1 && place.kinds[0] === 'global') {
    return {
      file,
      range: entry.keyRange,
      message: `Array are not allowed in the global section — \`${base}[…]\` belongs under a pool header such as [www]`,
    };
  }
  if (findFpmDirective(base, 'pool', 'array')) return undefined;
  const start = entry.keyRange.start;
  const baseRange: Range = { start, end: { line: start.line, character: start.character + base.length } };
  return misspelt(`unknown directive '${base}'`, base, baseRange, ['pool'], 'array', file);
}

/** The names a misspelt entry is compared with, by the kinds of section it may stand in and its form: made once each. */
const candidateNames = new Map<string, readonly string[]>();

function candidatesFor(kinds: readonly FpmSectionKind[], form: FpmForm): readonly string[] {
  const key = `${kinds.join(',')}:${form}`;
  let names = candidateNames.get(key);
  if (!names) candidateNames.set(key, (names = [...new Set(kinds.flatMap((kind) => fpmDirectiveNames(kind, form)))]));
  return names;
}

/** The report for a name php-fpm does not know, with the nearest valid names as quick fixes. */
function misspelt(message: string, name: string, range: Range, kinds: FpmSectionKind[], form: FpmForm, file: FileId): Report {
  const suggestions = closest(name, candidatesFor(kinds, form)).slice(0, MAX_SUGGESTIONS);
  if (suggestions.length === 0) return { file, range, message: `${message} — php-fpm has no such setting` };
  const fixes: Fix[] = suggestions.map((suggestion) => ({
    title: `Change to '${suggestion}'`,
    edits: [{ file, range, newText: suggestion }],
    ...(suggestions.length === 1 ? { isPreferred: true } : {}),
  }));
  return { file, range, message: `${message} — did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`, fixes };
}
