/**
 * Differential test of the nginx parser against the real `nginx -t`, on every file of the corpus's nginx folder
 * and on mutants of them (one `;`, `{`, `}` or quote deleted).
 *
 * nginx stops at its first error, and most files of the corpus are fragments that fail for their context (a
 * `location` at the top level, an unknown third-party directive) long before their end. So each text is run
 * as is and then included from wrappers that supply a context (http, server, location, …) followed by a
 * sentinel directive: when nginx complains about the sentinel, it has read the whole included file without
 * error. Every run yields a fact about nginx's lexer, and our first error must agree with each:
 *   - nginx read the whole file: we report no syntax error;
 *   - nginx's first error in the file is a syntax error: ours is the same message at the same line;
 *   - nginx's first error in the file is another kind at line L: we report no syntax error before line L;
 *   - nginx stopped in another file, or without saying where: no fact.
 *
 * Run: ORIGIN_DOCTOR_CORPUS=<corpus root> node --test out/test/corpus/nginx-syntax.test.js
 * (ORIGIN_DOCTOR_NGINX names the nginx binary when it is not on PATH).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { LineIndex, type Position } from '../../server/src/core/text';
import type { NginxParseResult } from '../../server/src/parsers/nginx/ast';
import { parseNginx } from '../../server/src/parsers/nginx/parser';
import { nginxRanges } from '../unit/robustness/ranges';

const NGINX = process.env.ORIGIN_DOCTOR_NGINX ?? 'nginx';
/** Past this, the remaining mutants are skipped (and counted as such). */
const TIME_BUDGET_MS = 60_000;
const SENTINEL = 'origin_doctor_end_of_included_file';
/** The messages of ngx_conf_read_token() and ngx_conf_parse(): the errors a syntax parser can find. */
const SYNTAX_MESSAGE = /^(unexpected "|unexpected end of file, expecting|too long parameter)/;

/** How a text is run: as the main configuration, or included where `include` stands. */
const CONTEXTS: readonly { name: string; wrap?: (include: string) => string }[] = [
  { name: 'as is' },
  { name: 'http', wrap: (include) => `events {}\nhttp {\n${include}\n}\n` },
  { name: 'server', wrap: (include) => `events {}\nhttp {\nserver {\n${include}\n}\n}\n` },
  { name: 'location', wrap: (include) => `events {}\nhttp {\nserver {\nlocation / {\n${include}\n}\n}\n}\n` },
  { name: 'main', wrap: (include) => `${include}\nevents {}\n` },
  { name: 'events', wrap: (include) => `events {\n${include}\n}\n` },
];

type Fact =
  | { kind: 'read whole file' }
  | { kind: 'syntax error'; message: string; line: number }
  | { kind: 'read up to'; line: number; message: string }
  | { kind: 'none' };

interface OurError {
  message: string;
  /** As nginx numbers lines: 1-based, counting line feeds only. */
  line: number;
}

interface Outcome {
  /** The most telling fact nginx gave: the whole file read, a syntax error, part of the file read, or nothing. */
  strongest: Fact['kind'];
  disagreements: string[];
}

const STRENGTH: readonly Fact['kind'][] = ['none', 'read up to', 'syntax error', 'read whole file'];

function corpusNginxFolder(): string {
  const root = process.env.ORIGIN_DOCTOR_CORPUS;
  assert.ok(root, 'ORIGIN_DOCTOR_CORPUS is not set: point it at the corpus root (the folder holding nginx/)');
  const folder = join(root, 'nginx');
  assert.ok(existsSync(folder), `ORIGIN_DOCTOR_CORPUS has no nginx folder: ${folder}`);
  return folder;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}


function rangeProblems(text: string, result: NginxParseResult): string[] {
  const lines = new LineIndex(text);
  const inside = (p: Position) =>
    p.line >= 0 &&
    p.line < lines.lineCount &&
    p.character >= 0 &&
    p.character <= lines.lineEnd(p.line) - lines.lineStarts[p.line];
  const problems: string[] = [];
  for (const [what, range] of nginxRanges(result)) {
    const ordered = lines.offsetAt(range.start) <= lines.offsetAt(range.end);
    if (!inside(range.start) || !inside(range.end) || !ordered) problems.push(`${what}: ${JSON.stringify(range)}`);
  }
  return problems;
}

function ourFirstError(text: string, result: NginxParseResult): OurError | undefined {
  const error = result.errors.find((e) => e.kind === 'nginx');
  if (!error) return undefined;
  const offset = new LineIndex(text).offsetAt(error.range.start);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { message: error.message, line };
}

/**
 * nginx prints one byte of a multi-byte character (`unexpected "\xC3"`) or cuts one (`too long parameter
 * "ééé…"`), which does not survive decoding; compare the messages without their non-ASCII characters.
 */
function sameMessage(ours: string, nginx: string): boolean {
  const ascii = (s: string) => s.replace(/[^\x00-\x7f]/g, '');
  return ascii(ours) === ascii(nginx);
}

function agrees(ours: OurError | undefined, fact: Fact): string | undefined {
  const mine = ours ? `we report "${ours.message}" at line ${ours.line}` : 'we report nothing';
  switch (fact.kind) {
    case 'read whole file':
      return ours ? `nginx read the whole file, ${mine}` : undefined;
    case 'syntax error':
      return ours && ours.line === fact.line && sameMessage(ours.message, fact.message)
        ? undefined
        : `nginx reports "${fact.message}" at line ${fact.line}, ${mine}`;
    case 'read up to':
      return ours && ours.line < fact.line
        ? `nginx read up to line ${fact.line} ("${fact.message}"), ${mine}`
        : undefined;
    case 'none':
      return undefined;
  }
}

function runNginx(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(NGINX, args, { timeout: 20_000, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        fail(new Error(`cannot run "${NGINX}": put nginx on PATH or set ORIGIN_DOCTOR_NGINX`));
      } else {
        done(stderr);
      }
    });
  });
}

/** What one run of `nginx -t` tells about `target`. */
function factOf(stderr: string, target: string, wrapper: string | undefined): Fact {
  const emerg = /\[emerg\] \d+#\d+: (.*)$/m.exec(stderr);
  if (!emerg) return /test is successful/.test(stderr) ? { kind: 'read whole file' } : { kind: 'none' };
  const located = /^(.*) in (.*):(\d+)$/.exec(emerg[1]);
  if (!located) return { kind: 'none' };
  const [, message, file, line] = located;
  if (wrapper && file === wrapper && message === `unknown directive "${SENTINEL}"`) return { kind: 'read whole file' };
  if (file !== target) return { kind: 'none' };
  if (SYNTAX_MESSAGE.test(message)) return { kind: 'syntax error', message, line: Number(line) };
  return { kind: 'read up to', line: Number(line), message };
}

/**
 * A folder standing in for the text's own, so that relative includes resolve as they would next to it:
 * links to the entries of its folder and of its source's root (nginx resolves them against the folder of `-c`).
 */
class Workspace {
  private readonly root = mkdtempSync(join(tmpdir(), 'origin-doctor-nginx-'));
  private readonly mirrors = new Map<string, string>();
  private counter = 0;

  constructor(private readonly corpusFolder: string) {}

  mirrorFor(file: string): string {
    const folder = dirname(file);
    const source = join(this.corpusFolder, relative(this.corpusFolder, file).split(sep)[0]);
    const key = `${folder}\n${source}`;
    let mirror = this.mirrors.get(key);
    if (!mirror) {
      mirror = join(this.root, `mirror-${this.mirrors.size}`);
      mkdirSync(mirror);
      for (const from of [folder, source]) {
        for (const name of readdirSync(from)) {
          if (!existsSync(join(mirror, name))) symlinkSync(join(from, name), join(mirror, name));
        }
      }
      this.mirrors.set(key, mirror);
    }
    return mirror;
  }

  uniquePath(folder: string, what: string): string {
    return join(folder, `origin-doctor-${this.counter++}-${what}.conf`);
  }

  /** The facts `nginx -t` gives about the file at `target`, trying contexts until one is decisive. */
  async facts(target: string, mirror: string): Promise<Fact[]> {
    const facts: Fact[] = [];
    for (const context of CONTEXTS) {
      const prefix = mkdtempSync(join(this.root, 'prefix-'));
      let wrapper: string | undefined;
      if (context.wrap) {
        wrapper = this.uniquePath(mirror, 'wrapper');
        writeFileSync(wrapper, context.wrap(`include "${target}";\n${SENTINEL};`));
      }
      // -p: relative log and temp paths go to a scratch folder, never next to the corpus.
      const stderr = await runNginx([
        '-t', '-p', `${prefix}/`, '-c', wrapper ?? target, '-g', `pid ${prefix}/nginx.pid; error_log stderr;`,
      ]);
      const fact = factOf(stderr, target, wrapper);
      facts.push(fact);
      if (fact.kind === 'read whole file' || fact.kind === 'syntax error') break;
    }
    return facts;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** One mutant per kind: the middle occurrence of a `;`, `{`, `}` or quote deleted (bytes, so line counts hold). */
function mutantsOf(bytes: Buffer): { label: string; bytes: Buffer }[] {
  const kinds: [string, number[]][] = [
    ['";"', [0x3b]],
    ['"{"', [0x7b]],
    ['"}"', [0x7d]],
    ['quote', [0x22, 0x27]],
  ];
  const mutants: { label: string; bytes: Buffer }[] = [];
  for (const [label, codes] of kinds) {
    const offsets: number[] = [];
    bytes.forEach((byte, offset) => {
      if (codes.includes(byte)) offsets.push(offset);
    });
    if (offsets.length === 0) continue;
    const at = offsets[offsets.length >> 1];
    mutants.push({
      label: `without the ${label} at byte ${at}`,
      bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]),
    });
  }
  return mutants;
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
}

function compare(text: string, facts: Fact[], label: string): Outcome {
  const ours = ourFirstError(text, parseNginx(text));
  const disagreements = facts.flatMap((fact) => {
    const why = agrees(ours, fact);
    return why ? [`${label}: ${why}`] : [];
  });
  const strongest = facts.reduce<Fact['kind']>(
    (best, fact) => (STRENGTH.indexOf(fact.kind) > STRENGTH.indexOf(best) ? fact.kind : best),
    'none',
  );
  return { strongest, disagreements };
}

test('every nginx file of the corpus parses, with every range inside the document', () => {
  const folder = corpusNginxFolder();
  const files = filesUnder(folder);
  assert.ok(files.length > 0, `no files under ${folder}`);
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const problem of rangeProblems(text, parseNginx(text))) problems.push(`${relative(folder, file)}: ${problem}`);
  }
  assert.deepEqual(problems, []);
});

/** Counts texts by what nginx could tell about them, and how many of those told something agree with us. */
class Tally {
  compared = 0;
  agreed = 0;
  skipped = 0;
  private readonly byStrength = new Map<Fact['kind'], number>();

  add(outcome: Outcome): void {
    this.byStrength.set(outcome.strongest, (this.byStrength.get(outcome.strongest) ?? 0) + 1);
    if (outcome.strongest === 'none') return;
    this.compared++;
    if (outcome.disagreements.length === 0) this.agreed++;
  }

  describe(what: string): string {
    const count = (kind: Fact['kind']) => this.byStrength.get(kind) ?? 0;
    return (
      `${what} compared ${this.compared}, agreed ${this.agreed} (nginx read the whole text of ` +
      `${count('read whole file')}, stopped at a syntax error in ${count('syntax error')}, read part of ` +
      `${count('read up to')}, told nothing of ${count('none')}` +
      (this.skipped ? `; ${this.skipped} skipped past the time budget` : '') +
      ')'
    );
  }
}

test('the parser agrees with nginx -t on syntax errors, on the corpus and on mutants of it', async (t) => {
  const folder = corpusNginxFolder();
  const files = filesUnder(folder);
  const workspace = new Workspace(folder);
  const started = Date.now();
  const fileTally = new Tally();
  const mutantTally = new Tally();
  const disagreements: string[] = [];
  try {
    await inParallel(files, async (file) => {
      const name = relative(folder, file);
      const bytes = readFileSync(file);
      const mirror = workspace.mirrorFor(file);
      const outcome = compare(bytes.toString('utf8'), await workspace.facts(resolve(file), mirror), name);
      fileTally.add(outcome);
      disagreements.push(...outcome.disagreements);

      for (const mutant of mutantsOf(bytes)) {
        if (Date.now() - started > TIME_BUDGET_MS) {
          mutantTally.skipped++;
          continue;
        }
        const path = workspace.uniquePath(mirror, 'mutant');
        writeFileSync(path, mutant.bytes);
        const facts = await workspace.facts(path, mirror);
        const result = compare(mutant.bytes.toString('utf8'), facts, `${name} ${mutant.label}`);
        mutantTally.add(result);
        disagreements.push(...result.disagreements);
      }
    });
  } finally {
    workspace.dispose();
  }
  t.diagnostic(
    `nginx corpus, ${files.length} files: ${fileTally.describe('files')}; ${mutantTally.describe('mutants')}; ` +
      `${Math.round((Date.now() - started) / 1000)} s`,
  );
  assert.deepEqual(disagreements.sort(), []);
});
