/**
 * Differential test: our php-fpm parser and its rules against the real `php-fpm8.2 -t`, on every file of
 * <corpus>/php-fpm and on generated files.
 *
 * For each file php-fpm gets two chances, the file included under `[global]` and under a pool (a file without
 * headers continues the section it is included from), and the more lenient verdict counts. Only the loading stage
 * is compared, by the rules that judge single lines (what php-fpm/invalid-value finds only after loading is left out):
 *   - php-fpm loads the file: we report no error.
 *   - php-fpm stops at line L for a reason these rules cover (syntax, NULL value, unknown entry or directive,
 *     arrays in [global], array keys, `#` lines, values): we report an error on line L, none before, and quote its
 *     message.
 *   - php-fpm stops at line L for another reason (an include): we report no error up to line L.
 *   - our preferred quick fix for line L, applied, gets php-fpm past that line.
 *
 * A second test reads each corpus file with a section header as php-fpm's main file, as `php-fpm -t -y FILE` does,
 * and compares the error verdict of every php-fpm rule with php-fpm's whole verdict, after loading included
 * (run with -R: whether a pool needs `user` depends on who starts php-fpm). Refusals that depend on the host (an
 * include outside the corpus, a user or group this machine lacks, a file it cannot open) are left out.
 *
 * Run: ORIGIN_DOCTOR_CORPUS=<corpus root> node --test out/test/corpus/php-fpm.test.js
 * (PHP_FPM names the binary, `php-fpm8.2` by default.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Report, Rule } from '../../server/src/core/rule';
import { parseFpm } from '../../server/src/parsers/phpfpm/parser';
import { FPM_DIRECTIVES, type FpmDirectiveInfo } from '../../server/src/reference/phpfpm';
import { rule as hashComment } from '../../server/src/rules/php-fpm/hash-comment';
import { rule as invalidValue } from '../../server/src/rules/php-fpm/invalid-value';
import { rule as syntax } from '../../server/src/rules/php-fpm/syntax';
import { rule as unknownDirective } from '../../server/src/rules/php-fpm/unknown-directive';
import { applyEdits } from '../unit/apply-edits';
import { analyze } from '../unit/engine-harness';
import { EVERY_RULE } from '../unit/php-fpm/issue-4-rules';
import { phpFpmMessages } from '../unit/php-fpm/php-fpm-messages';
import { parsedFile, runRule } from '../unit/rule-harness';

const corpusRoot = process.env.ORIGIN_DOCTOR_CORPUS;
if (!corpusRoot) {
  throw new Error('ORIGIN_DOCTOR_CORPUS is not set: point it at the corpus root (the folder holding php-fpm/).');
}
const PHP_FPM = process.env.PHP_FPM ?? 'php-fpm8.2';

/** The rules that judge single lines, as php-fpm loads them. */
const LINE_RULES: readonly Rule[] = [syntax, unknownDirective, hashComment, invalidValue];

/** Every php-fpm rule. */
const FPM_RULES = EVERY_RULE.filter((rule) => rule.format === 'php-fpm');

/** php-fpm's reasons, while loading, that the line rules are meant to catch. */
const COVERED = [
  /^syntax error, /,
  /^value is NULL for a ZEND_INI_PARSER_ENTRY$/,
  /^unknown entry '/,
  /^unknown directive '/,
  /^Array are not allowed in the global section$/,
  /^You must provide a key for field '/,
  /^Keys provided to field 'access\.suppress_path' are ignored$/,
  /^memory exhausted$/,
  /^unable to parse value for entry '/,
  /^error while parsing '/,
  /^empty value$/,
  /^Values provided to field 'access\.suppress_path' must begin with '\/'$/,
];

interface Verdict {
  accepted: boolean;
  /** 1-based line of the file where php-fpm stopped. */
  line?: number;
  message?: string;
  covered?: boolean;
  /** php-fpm stopped in another file (an include of the host's configuration). */
  elsewhere?: boolean;
}

type Context = 'global' | 'pool';

const work = mkdtempSync(join(tmpdir(), 'origin-doctor-fpm-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
let runs = 0;

/** php-fpm's loading verdict on `file`, included from a minimal configuration in `context`. */
function loadVerdict(file: string, context: Context): { failed: boolean; line?: number; message?: string; elsewhere?: boolean; unlocated?: boolean } {
  const dir = join(work, `run-${runs++}`);
  mkdirSync(dir);
  const wrapper = join(dir, 'php-fpm.conf');
  const pool = context === 'pool' ? '[origin_doctor_wrapper]\n' : '';
  writeFileSync(wrapper, `[global]\nerror_log = ${join(dir, 'error.log')}\npid = ${join(dir, 'php-fpm.pid')}\n${pool}include = ${file}\n`);
  const run = spawnSync(PHP_FPM, ['-t', '-y', wrapper], { encoding: 'utf8', timeout: 20_000 });
  rmSync(dir, { recursive: true, force: true });
  if (run.error) throw new Error(`cannot run ${PHP_FPM}: ${run.error.message}`);
  const output = `${run.stderr}\n${run.stdout}`;
  if (!/failed to load configuration file/.test(output)) return { failed: false };
  for (const line of output.split('\n')) {
    const located = locate(line);
    if (located) return located.path === file ? { failed: true, line: located.line, message: located.message } : { failed: true, elsewhere: true, message: located.message };
    const syntaxError = /PHP: {2}(.*) in Unknown on line \d+/.exec(line);
    if (syntaxError) return { failed: true, message: syntaxError[1], unlocated: true };
  }
  return { failed: true, message: output.trim() };
}

/** An error php-fpm logs with its place: `[file:line] message`, or `… from file at line N` for includes. */
function locate(line: string): { path: string; line: number; message: string } | undefined {
  const entry = /ERROR: \[(.+):(\d+)\] (.*)$/.exec(line);
  if (entry) return { path: entry[1], line: Number(entry[2]), message: entry[3] };
  const include = /ERROR: (.*) from (.+) at line (\d+)\.?$/.exec(line);
  if (include) return { path: include[2], line: Number(include[3]), message: include[1] };
  return undefined;
}

/** php-fpm's verdict on `file` in `context`; a syntax error, logged without its line, is located by bisection. */
function verdictIn(file: string, context: Context): Verdict {
  const first = loadVerdict(file, context);
  if (!first.failed) return { accepted: true };
  if (first.elsewhere) return { accepted: false, elsewhere: true, message: first.message };
  let line = first.line;
  if (first.unlocated) {
    const lines = readFileSync(file, 'utf8').split('\n');
    const prefix = join(work, `prefix-${runs++}.conf`);
    let low = 1;
    let high = lines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      writeFileSync(prefix, lines.slice(0, middle).join('\n'));
      if (loadVerdict(prefix, context).failed) high = middle;
      else low = middle + 1;
    }
    line = low;
  }
  const message = first.message ?? '';
  return { accepted: false, line, message, covered: COVERED.some((re) => re.test(message)) };
}

/** The more lenient of the two contexts: accepted in one, or the one that gets further. */
function phpFpmVerdict(file: string): Verdict {
  const verdicts = (['global', 'pool'] as const).map((context) => verdictIn(file, context));
  return verdicts.find((v) => v.accepted) ?? verdicts.reduce((a, b) => ((b.line ?? 0) > (a.line ?? 0) ? b : a));
}

function ourErrors(text: string, id: string): Report[] {
  const file = parsedFile(id, text, parseFpm);
  const model = { fpm: [file] };
  const reports = LINE_RULES.flatMap((rule) => runRule(rule, model)
    // What php-fpm refuses only after loading (events.mechanism, log_limit, a listen it cannot open) is not compared here.
    .filter((r) => rule !== invalidValue || COVERED.some((re) => re.test(r.message.split(' — ')[0])))
    .map((r) => ({ ...r, severity: r.severity ?? rule.defaultSeverity })));
  for (const report of reports) assertInside(report, file.lines.lineCount, (line) => file.lines.lineText(line).length);
  return reports.filter((r) => r.severity === 'error');
}

function assertInside(report: Report, lineCount: number, lineLength: (line: number) => number): void {
  const { start, end } = report.range;
  for (const p of [start, end]) {
    assert.ok(p.line >= 0 && p.line < lineCount && p.character >= 0 && p.character <= lineLength(p.line), `range outside the document: ${JSON.stringify(report)}`);
  }
  assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `reversed range: ${JSON.stringify(report)}`);
}

interface Comparison {
  name: string;
  agreed: boolean;
  detail: string;
  messageCompared: boolean;
  /** Whether php-fpm got past the refused line once our preferred quick fix was applied; absent without one. */
  fixWorked?: boolean;
}

function compare(name: string, file: string): Comparison {
  const text = readFileSync(file, 'utf8');
  const errors = ourErrors(text, name);
  const lines = [...new Set(errors.map((e) => e.range.start.line + 1))].sort((a, b) => a - b);
  const php = phpFpmVerdict(file);
  const ours = errors.length === 0 ? 'no error' : `errors on lines ${lines.join(', ')} (${errors[0].message})`;
  const theirs = php.accepted ? 'loads' : php.elsewhere ? `fails in another file: ${php.message}` : `stops at line ${php.line}: ${php.message}`;
  const result = (agreed: boolean, messageCompared = false): Comparison => ({ name, agreed, messageCompared, detail: `php-fpm ${theirs}; we report ${ours}` });
  if (php.accepted) return result(errors.length === 0);
  if (php.elsewhere || php.line === undefined) return result(true);
  const line = php.line;
  if (lines.some((l) => l < line)) return result(false);
  if (!php.covered) return result(!lines.includes(line));
  const onLine = errors.filter((e) => e.range.start.line + 1 === line);
  const comparison = result(onLine.some((e) => e.message.includes(php.message ?? '')), true);
  const fix = onLine.flatMap((e) => e.fixes ?? []).find((f) => f.isPreferred);
  if (fix) comparison.fixWorked = getsPast(applyEdits(text, fix.edits), line);
  return comparison;
}

/** Whether php-fpm, on `text`, no longer stops at `line` for a reason these rules cover. */
function getsPast(text: string, line: number): boolean {
  const fixed = join(work, `fixed-${runs++}.conf`);
  writeFileSync(fixed, text);
  const php = phpFpmVerdict(fixed);
  return php.accepted || php.elsewhere === true || (php.line ?? 0) > line || !php.covered;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// ---- generated files

/** A value php-fpm parses without complaint for a directive of this type. */
function sampleValue(d: FpmDirectiveInfo): string {
  switch (d.type) {
    case 'integer': return '1';
    case 'time': return '5s';
    case 'boolean': return 'yes';
    case 'enum': return d.values?.[0] ?? 'x';
    case 'rlimit': return 'unlimited';
    case 'uri-path': return '/status';
    default: return '/tmp/origin-doctor-sample';
  }
}

function transposed(name: string): string {
  const i = Math.floor(name.length / 2);
  return name.slice(0, i - 1) + name[i] + name[i - 1] + name.slice(i + 1);
}

const SYNTAX_LINES = [
  'access.format = abc ; comment', 'access.format = "a;b"', 'access.format = "a b" c', "access.format = 'a b'",
  "access.format = it's", "access.format = ''", 'access.format = ""', 'access.format = Yes please', 'access.format = off',
  'access.format = E_ALL & ~E_NOTICE', 'access.format = ${HOME}', 'access.format = a=b', 'access.format = a =b',
  'access.format = "a\\"b"', 'access.format = "unterminated', 'access.format = (a)', 'access.format = a ( b',
  'access.format = ${', 'access.format = ${X', "access.format = 'a'b'c'", 'access.format = a~b', 'access.format = ~',
  "access.format = '", "access.format = 'x", "access.format = x''", "access.format = x'", "access.format = ('')",
  'access.format = &', 'access.format = x &', 'access.format = )', 'access.format = ( x', 'access.format = (x))',
  'access.format = "C:\\path\\"', 'access.format = a yes', 'access.format = none of it', 'access.format = ${}',
  'access.format = "${HOME"', 'access.format = 1.5.3', 'access.format = a\tb', 'access.format = ;', 'access.format',
  'php_value[ x ] = 1', 'php_value [x] = 1', 'php_value["q"] = 1', 'php_value[] = 1', "php_value[''] = 1",
  "php_value['] = 1", 'php_value[x', 'php_value[x]', 'php_value[x] x', 'access.suppress_path[] = /ping',
  'access.suppress_path[x] = /ping', 'env[X] = $HOME', 'PHP_VALUE[x] = 1', 'php_valeu[memory_limit] = 1M',
  '[www', '[www]]', '[www] foo', '[www] ; c', '[www]x = 1', '[www] pm = static', '[w;w]', '[w"w]', "[w'w]", "[']",
  ' [www]', '[]', '[', '[ a b ]', '[a"b"c]', '=foo', 'foo bar = 1', 'pm max', 'pm\tmax = 1', 'yes', 'no = 1', 'on = 1',
  'one = 1', '# comment', '#comment', '# a = b', "# it's (fun)", '# "quoted"', '#!/bin/sh', '  # indented', '#[www]',
  '#php_value[x] = 1', 'x{y} = 1', 'x(y) = 1', 'x"y" = 1', 'x$y = 1', 'x;y = 1', ':foo = 1', 'a.b = 1', '{{ if x }}',
  'PM = static', 'Include = /nonexistent-origin-doctor/*.conf', 'include = /nonexistent-origin-doctor/*.conf',
  'pm.max_chidlren = 5', 'listen.allowed_client = 127.0.0.1', 'request_terminate_timout = 30s', 'pid = /tmp/x.pid',
  'listen.setfib = 1', 'catch_workers_output = maybe', 'listen = 127.0.0.1:9000 # tcp',
];

/** Values php-fpm refuses while loading, reads differently, or computes. */
const VALUE_LINES = [
  'pm.max_children = 5k', 'pm.max_children = "12"', 'pm.max_children = E_ERROR', 'request_terminate_timeout = 30x',
  'request_terminate_timeout = 60ms', 'request_slowlog_timeout =', 'catch_workers_output = "Yes"', 'catch_workers_output = "no"',
  'pm = fork', 'pm = Ondemand', 'rlimit_core = -1', 'rlimit_core = unlimited', 'listen.backlog = 1.5', 'listen = 127.0.0.1:abc',
  'php_flag[display_errors] = maybe', 'php_admin_flag[log_errors] = "on"', 'env[X] = ""', 'env[X] = $HOME', 'access.suppress_path[] = ping',
];

/** Generated files: name → text. */
function syntheticFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const inPool = (line: string) => `[www]\n${line}\n`;
  SYNTAX_LINES.forEach((line, i) => files.set(`line-${i}: ${line}`, inPool(line)));
  VALUE_LINES.forEach((line, i) => files.set(`value-${i}: ${line}`, inPool(line)));
  for (const d of FPM_DIRECTIVES.filter((d) => d.form === 'scalar' && d.place !== 'any')) {
    const other = d.place === 'global' ? 'www' : 'global';
    files.set(`placed: ${d.name}`, `[${d.place === 'global' ? 'global' : 'www'}]\n${d.name} = ${sampleValue(d)}\n`);
    files.set(`misplaced: ${d.name}`, `[${other}]\n${d.name} = ${sampleValue(d)}\n`);
    files.set(`typo: ${d.name}`, `[${d.place === 'global' ? 'global' : 'www'}]\n${transposed(d.name)} = ${sampleValue(d)}\n`);
  }
  for (const d of FPM_DIRECTIVES.filter((d) => d.form === 'array')) {
    const key = d.name === 'access.suppress_path' ? '' : 'memory_limit';
    files.set(`array in pool: ${d.name}`, `[www]\n${d.name}[${key}] = /x\n`);
    files.set(`array in global: ${d.name}`, `[global]\n${d.name}[${key}] = /x\n`);
  }
  files.set('preamble: pool include', 'user = www-data\nlisten = 9000\npm = static\nphp_value[memory_limit] = 64M\n');
  files.set('preamble: global include', 'pid = /tmp/x.pid\nlog_level = notice\n');
  files.set('preamble: global then pool', 'pid = /tmp/x.pid\nlisten = 9000\n');
  files.set('preamble: pool then global', 'listen = 9000\nerror_log = /tmp/x.log\n');
  files.set('preamble: both kinds first', 'rlimit_files = 1024\nlisten = 9000\n');
  files.set('bom and crlf', '\uFEFF[www]\r\nlisten = 9000\r\n; comment\r\npm.max_childrn = 5\r\n');
  files.set('bom before hash', '\uFEFF# comment\n[www]\n');
  files.set('quote across lines', '[www]\naccess.format = "one\ntwo"\n');
  files.set('section reopened', '[global]\npid = /tmp/x.pid\n[www]\nlisten = 9000\n[GLOBAL]\nlisten = 9001\n');
  files.set('nul byte', '[www]\nlisten = 9000\0 trailing\n');
  files.set('no final newline', '[www]\nlisten = 9000');
  files.set('deepest expression php-fpm takes', `[www]\naccess.format = ${'~'.repeat(9994)}x\n`);
  files.set('one level deeper: memory exhausted', `[www]\naccess.format = ${'~'.repeat(9995)}x\n`);
  return files;
}

test('php-fpm parser and rules agree with php-fpm8.2 -t', () => {
  const version = spawnSync(PHP_FPM, ['-v'], { encoding: 'utf8' });
  assert.equal(version.status, 0, `cannot run ${PHP_FPM} (set PHP_FPM): ${version.error?.message ?? version.stderr}`);

  const corpusDir = join(corpusRoot, 'php-fpm');
  const corpus = filesUnder(corpusDir).sort().map((file) => compare(relative(corpusDir, file), file));

  const syntheticDir = join(work, 'synthetic');
  mkdirSync(syntheticDir);
  const synthetic = [...syntheticFiles()].map(([name, text], i) => {
    const file = join(syntheticDir, `file-${i}.conf`);
    writeFileSync(file, text);
    return compare(name, file);
  });

  const summary = (label: string, results: Comparison[]) => {
    const messages = results.filter((r) => r.messageCompared);
    const fixes = results.filter((r) => r.fixWorked !== undefined);
    return `${label}: ${results.length} files compared, ${results.filter((r) => r.agreed).length} agreed `
      + `(${messages.length} refusals whose message we quote, ${messages.filter((r) => r.agreed).length} agreed; `
      + `${fixes.length} preferred fixes tried, ${fixes.filter((r) => r.fixWorked).length} got php-fpm past the line)`;
  };
  console.log(`php-fpm differential\n  ${summary('corpus', corpus)}\n  ${summary('synthetic', synthetic)}`);
  assert.ok(corpus.length > 0, `no files under ${corpusDir}`);
  assert.ok(synthetic.length >= 30);
  const disagreements = [...corpus, ...synthetic].filter((r) => !r.agreed);
  assert.deepEqual(disagreements.map((r) => `${r.name}: ${r.detail}`), []);
  const failedFixes = [...corpus, ...synthetic].filter((r) => r.fixWorked === false);
  assert.deepEqual(failedFixes.map((r) => `${r.name}: the preferred fix left php-fpm stopped (${r.detail})`), []);
});

// ---- each corpus file as php-fpm's main file, after loading included

/** Refusals that depend on the host rather than on the file: includes, users and groups, files and folders. */
const HOST_DEPENDENT = [/^Unable to (globalize|include) /, /cannot get [ug]id for /, /^failed to open /, /^Unable to create or open /, /does not exist or is not a directory$/];

/** `php-fpm -t -R -y FILE`: its refusal messages, without the file and line it puts before load-time ones. */
function asMainFile(file: string): { refused: boolean; messages: string[] } {
  const dir = join(work, `main-${runs++}`);
  // The prefix holds log/ for php-fpm's default error_log, log/php-fpm.log.
  mkdirSync(join(dir, 'log'), { recursive: true });
  const run = spawnSync(PHP_FPM, ['-t', '-R', '-p', dir, '-y', file], { encoding: 'utf8', timeout: 20_000 });
  rmSync(dir, { recursive: true, force: true });
  if (run.error) throw new Error(`cannot run ${PHP_FPM}: ${run.error.message}`);
  const messages = phpFpmMessages(`${run.stderr}\n${run.stdout}`);
  return { refused: run.status !== 0, messages };
}

test('each corpus file read as php-fpm\'s main file: every php-fpm rule agrees with php-fpm8.2 -t', () => {
  const corpusDir = join(corpusRoot, 'php-fpm');
  const main = '/p/php-fpm.conf';
  // A file without any header is a fragment of a pool: as a main file it would only be read in [global].
  const files = filesUnder(corpusDir).sort().filter((file) => parseFpm(readFileSync(file, 'utf8')).sections.length > 0);
  const results = files.map((file) => {
    const name = relative(corpusDir, file);
    const php = asMainFile(file);
    if (php.messages.some((m) => HOST_DEPENDENT.some((re) => re.test(m)))) return { name, compared: false, agreed: true, detail: php.messages.join(' / ') };
    const errors = analyze({ [main]: readFileSync(file, 'utf8') }, {}, { rules: FPM_RULES, kinds: { [main]: 'php-fpm' } }).filter((f) => f.severity === 'error');
    const quoted = !php.refused || php.messages.some((m) => errors.some((e) => e.message.includes(m)));
    const detail = `php-fpm ${php.refused ? `refuses: ${php.messages.join(' / ')}` : 'accepts'}; we report ${errors.map((e) => `${e.rule}: ${e.message}`).join(' | ') || 'no error'}`;
    return { name, compared: true, agreed: php.refused === errors.length > 0 && quoted, detail };
  });
  const compared = results.filter((r) => r.compared);
  console.log(`php-fpm corpus as main files: ${files.length} files, ${compared.length} compared (the rest depend on the host), ${compared.filter((r) => r.agreed).length} agreed`);
  assert.ok(compared.length > 0);
  assert.deepEqual(compared.filter((r) => !r.agreed).map((r) => `${r.name}: ${r.detail}`), []);
});
