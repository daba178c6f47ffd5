import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Finding } from '../../../server/src/core/findings';
import { resolveSettings } from '../../../server/src/core/settings';
import { LineIndex } from '../../../server/src/core/text';
import { Engine } from '../../../server/src/engine/engine';
import { diskFileSystem, type FileSystemHost } from '../../../server/src/model/host';
import { buildNginxTree, DEFAULT_TREE_LIMITS, type IncludeProblem, type NginxFile } from '../../../server/src/model/nginx-tree';
import { parseNginx } from '../../../server/src/parsers/nginx/parser';
import { rule as includeNotFound } from '../../../server/src/rules/nginx/include-not-found';
import { analyze, brief } from '../engine-harness';
import { runRule } from '../rule-harness';

/**
 * `include` at its edges: loops, huge globs, and paths that are no configuration file (a device, a folder, a FIFO,
 * an unreadable or a huge file). Each ends with one exact diagnostic at the include and bounded work; what needs
 * the real OS is made on disk in a temp folder that is removed afterwards.
 */

const INCLUDE_RULES = new Set(['nginx/include-not-found', 'nginx/include-cycle']);
const MAIN_TEXT = (target: string) => `events {}\nhttp {\n    include ${target};\n}\n`;

/** `rule severity file:range message` of the include findings, in order. */
function includeFindings(findings: Finding[]): string[] {
  return findings.filter((f) => INCLUDE_RULES.has(f.rule)).map((f) => `${brief(f)} ${f.message}`);
}

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'origin-doctor-include-'));
  // Traversable by the unprivileged user the permission case runs as.
  chmodSync(root, 0o755);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A folder of its own under the temp root, with `files` (relative path → text) written in it. */
function folder(name: string, files: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The disk, recording every file read. */
function recordingDisk(): { host: FileSystemHost; reads: string[] } {
  const reads: string[] = [];
  return { reads, host: { ...diskFileSystem, readFile: (path) => (reads.push(path), diskFileSystem.readFile(path)) } };
}

/** Analyses `main` (a workspace file with `text`) over `host`, its includes read from there. */
function analyzeMain(host: FileSystemHost, main: string, text: string): Finding[] {
  const engine = new Engine(host, resolveSettings({}));
  engine.setFile(main, text, 'nginx');
  return engine.analyze().findings;
}

/**
 * Runs `script` in a fresh Node process (as `uid` when given) and returns what it printed. A child that blocks
 * is killed and fails the test, where a blocked read in this process would hang the whole suite.
 */
function runChild(script: string, uid?: number): string {
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000, uid, gid: uid });
  assert.equal(result.signal, null, `the child was killed (${result.signal}): it blocked`);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const HOST_MODULE = JSON.stringify(require.resolve('../../../server/src/model/host'));

// ---- loops -----------------------------------------------------------------------------------------------------

test('include loops: a file including itself, A → B → A, a glob matching its own file; one diagnostic each', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [
      { '/n/nginx.conf': MAIN_TEXT('self.conf'), '/n/self.conf': 'include self.conf;\n' },
      'nginx/include-cycle error /n/self.conf:0:8-0:17 include loops: /n/nginx.conf → /n/self.conf → /n/self.conf. nginx would read these files endlessly and fail to start.',
    ],
    [
      { '/n/nginx.conf': MAIN_TEXT('a.conf'), '/n/a.conf': 'include b.conf;\n', '/n/b.conf': 'include a.conf;\n' },
      'nginx/include-cycle error /n/b.conf:0:8-0:14 include loops: /n/nginx.conf → /n/a.conf → /n/b.conf → /n/a.conf. nginx would read these files endlessly and fail to start.',
    ],
    [
      { '/n/nginx.conf': MAIN_TEXT('conf.d/*.conf'), '/n/conf.d/a.conf': 'include conf.d/*.conf;\n', '/n/conf.d/b.conf': 'server_tokens off;\n' },
      'nginx/include-cycle error /n/conf.d/a.conf:0:8-0:21 include loops: /n/nginx.conf → /n/conf.d/a.conf → /n/conf.d/a.conf. nginx would read these files endlessly and fail to start.',
    ],
  ];
  for (const [files, expected] of cases) assert.deepEqual(includeFindings(analyze(files)), [expected]);
});

test('files that all include the glob matching them: one loop each, not one walk per order of the files (12! of them)', () => {
  const files: Record<string, string> = { '/n/nginx.conf': MAIN_TEXT('conf.d/*.conf') };
  const names = Array.from({ length: 12 }, (_, i) => `/n/conf.d/f${String(i).padStart(2, '0')}.conf`);
  for (const name of names) files[name] = 'include conf.d/*.conf;\n';
  const findings = includeFindings(analyze(files));
  // Each file's include is met first on the path through every file before it, and loops back to the first.
  assert.deepEqual(findings, names.map((name, i) => `nginx/include-cycle error ${name}:0:8-0:21 include loops: `
    + `${['/n/nginx.conf', ...names.slice(0, i + 1), names[0]].join(' → ')}. nginx would read these files endlessly and fail to start.`));
});

// ---- huge globs ------------------------------------------------------------------------------------------------

const MANY = 10_000;
let manyDir: string;

/** MANY files in conf.d, created once for the glob cases. */
function manyFiles(): string {
  if (manyDir) return manyDir;
  manyDir = folder('many');
  mkdirSync(join(manyDir, 'conf.d'));
  for (let i = 0; i < MANY; i++) writeFileSync(join(manyDir, 'conf.d', `f${String(i).padStart(5, '0')}.conf`), 'server_tokens off;\n');
  return manyDir;
}

test(`an include glob matching ${MANY} files on disk: every file read once, no diagnostic`, () => {
  const dir = manyFiles();
  const { host, reads } = recordingDisk();
  const engine = new Engine(host, resolveSettings({}));
  engine.setFile(join(dir, 'nginx.conf'), MAIN_TEXT('conf.d/*.conf'), 'nginx');
  const { model, findings } = engine.analyze();
  assert.deepEqual(includeFindings(findings), []);
  assert.equal(model.nginxTrees[0].files.size, MANY + 1);
  assert.equal(reads.length, MANY);
});

/** The tree of `dir/nginx.conf` (text `MAIN_TEXT(target)`) built over the disk with `maxGlobMatches`. */
function treeWithGlobLimit(dir: string, target: string, maxGlobMatches: number) {
  const parsed = (id: string, text: string): NginxFile => ({ id, text, lines: new LineIndex(text), parse: parseNginx(text) });
  const load = (path: string): NginxFile | IncludeProblem => {
    const text = diskFileSystem.readFile(path);
    return text === undefined ? { kind: 'not-found', path } : parsed(path, text);
  };
  const main = parsed(join(dir, 'nginx.conf'), MAIN_TEXT(target));
  return buildNginxTree({ root: main, host: diskFileSystem, load, limits: { ...DEFAULT_TREE_LIMITS, maxGlobMatches } }, true);
}

test('maxGlobMatches (20,000 by default) passed smaller: the first files in sorted order are read and the glob is flagged', () => {
  assert.equal(DEFAULT_TREE_LIMITS.maxGlobMatches, 20_000);
  const dir = manyFiles();
  const tree = treeWithGlobLimit(dir, 'conf.d/*.conf', 1000);
  const [include] = tree.includes;
  assert.equal(include.files.length, 1000);
  assert.deepEqual([include.files[0], include.files[999]], [join(dir, 'conf.d/f00000.conf'), join(dir, 'conf.d/f00999.conf')]);
  assert.deepEqual(runRule(includeNotFound, { nginxTrees: [tree] }).map((r) => [r.file, r.range, r.message]), [[
    join(dir, 'nginx.conf'),
    { start: { line: 2, character: 12 }, end: { line: 2, character: 25 } },
    `"${dir}/conf.d/*.conf" matches more than 1000 files; only the first 1000 were read. Relative paths resolve against the conf prefix (${dir}).`,
  ]]);
});

test('a glob matching exactly maxGlobMatches files is read whole and not flagged', () => {
  const tree = treeWithGlobLimit(manyFiles(), 'conf.d/*.conf', MANY);
  assert.equal(tree.includes[0].files.length, MANY);
  assert.deepEqual(tree.includes[0].problems, []);
});

// ---- what is no configuration file ------------------------------------------------------------------------------

test('an include of /dev/zero, a character device, is never read and gets a warning: nginx reads it as empty', () => {
  const dir = folder('device');
  const { host, reads } = recordingDisk();
  const main = join(dir, 'nginx.conf');
  assert.deepEqual(includeFindings(analyzeMain(host, main, MAIN_TEXT('/dev/zero'))), [
    `nginx/include-not-found warning ${main}:2:12-2:21 "/dev/zero" is a device, not a regular file: nginx reads it as empty, so this include adds nothing. It was not read.`,
  ]);
  assert.deepEqual(reads, []);
});

test('an include of a directory is an error with nginx -t\'s words, and the directory is not read', () => {
  const dir = folder('directory', { 'conf.d/a.conf': 'server_tokens off;\n' });
  const { host, reads } = recordingDisk();
  const main = join(dir, 'nginx.conf');
  assert.deepEqual(includeFindings(analyzeMain(host, main, MAIN_TEXT('conf.d'))), [
    `nginx/include-not-found error ${main}:2:12-2:18 "${dir}/conf.d" is a directory, not a regular file: nginx -t fails with pread() "${dir}/conf.d" failed (21: Is a directory) and nginx will not start or reload. Relative paths resolve against the conf prefix (${dir}).`,
  ]);
  assert.deepEqual(reads, []);
});

test('an include of a FIFO is never opened for reading: nginx would hang on it, so it is an error', () => {
  const dir = folder('fifo');
  const fifo = join(dir, 'pipe.conf');
  const made = spawnSync('mkfifo', [fifo], { encoding: 'utf8' });
  assert.equal(made.status, 0, `mkfifo is needed for this case: ${made.error?.message ?? made.stderr}`);
  const { host, reads } = recordingDisk();
  const main = join(dir, 'nginx.conf');
  assert.deepEqual(includeFindings(analyzeMain(host, main, MAIN_TEXT('pipe.conf'))), [
    `nginx/include-not-found error ${main}:2:12-2:21 "${fifo}" is a named pipe (FIFO), not a regular file: nginx waits to open it until something writes to it, so nginx -t and nginx hang. It was not read. Relative paths resolve against the conf prefix (${dir}).`,
  ]);
  assert.deepEqual(reads, []);
});

test('the disk host reads no FIFO and no device even when asked directly: it returns nothing at once', () => {
  const dir = folder('direct');
  const fifo = join(dir, 'pipe.conf');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo is needed for this case');
  // In a child, so that a read that blocks (FIFO) or never ends (/dev/zero) fails this test instead of hanging all.
  const printed = runChild(`const { diskFileSystem } = require(${HOST_MODULE});
    process.stdout.write(JSON.stringify([${JSON.stringify(fifo)}, '/dev/zero', ${JSON.stringify(dir)}].map((p) => diskFileSystem.readFile(p) ?? null)));`);
  assert.deepEqual(JSON.parse(printed), [null, null, null]);
});

test('a 100 MB file (sparse) is too large: its size is enough, it is never read', () => {
  const dir = folder('large');
  const big = join(dir, 'big.conf');
  writeFileSync(big, '');
  truncateSync(big, 100 * 1024 * 1024);
  const { host, reads } = recordingDisk();
  const main = join(dir, 'nginx.conf');
  assert.deepEqual(includeFindings(analyzeMain(host, main, MAIN_TEXT('big.conf'))), [
    `nginx/include-not-found error ${main}:2:12-2:20 "${big}" is 104857600 bytes, too large for a configuration file; it was not read. Relative paths resolve against the conf prefix (${dir}).`,
  ]);
  assert.deepEqual(reads, []);
});

// ---- unreadable ----------------------------------------------------------------------------------------------

const unreadableMessage = (path: string) => `"${path}" exists but cannot be read: permission denied for this user, so it was not checked; `
  + `nginx -t fails with open() "${path}" failed (13: Permission denied) when nginx's user cannot read it either.`;

test('a file that exists but cannot be read is "unreadable", not "not found" (host whose stat finds it and whose read fails)', () => {
  const host: FileSystemHost = {
    stat: (path) => (path === '/n/secret.conf' ? { isFile: true, isDirectory: false, size: 20 } : undefined),
    readFile: () => undefined,
    readDirectory: () => undefined,
  };
  assert.deepEqual(includeFindings(analyzeMain(host, '/n/nginx.conf', MAIN_TEXT('/n/secret.conf'))), [
    `nginx/include-not-found warning /n/nginx.conf:2:12-2:26 ${unreadableMessage('/n/secret.conf')}`,
  ]);
});

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

test(`a mode-000 file on disk is "unreadable" (${asRoot ? 'run as root: read by a child process running as nobody, whom the mode stops' : 'read by this user'})`, (t) => {
  if (process.platform === 'win32') return t.skip('Windows has no read permission bits: chmod 000 does not stop a read');
  const dir = folder('permission');
  const secret = join(dir, 'secret.conf');
  writeFileSync(secret, 'server_tokens off;\n');
  chmodSync(secret, 0o000);
  const main = join(dir, 'nginx.conf');
  // Root reads any file whatever its mode; the user nginx's workers run as does not.
  const printed = runChild(`const { Engine } = require(${JSON.stringify(require.resolve('../../../server/src/engine/engine'))});
    const { resolveSettings } = require(${JSON.stringify(require.resolve('../../../server/src/core/settings'))});
    const { diskFileSystem } = require(${HOST_MODULE});
    const engine = new Engine(diskFileSystem, resolveSettings({}));
    engine.setFile(${JSON.stringify(main)}, ${JSON.stringify(MAIN_TEXT('secret.conf'))}, 'nginx');
    process.stdout.write(JSON.stringify(engine.analyze().findings));`, asRoot ? NOBODY : undefined);
  assert.deepEqual(includeFindings(JSON.parse(printed) as Finding[]), [
    `nginx/include-not-found warning ${main}:2:12-2:23 ${unreadableMessage(secret)} Relative paths resolve against the conf prefix (${dir}).`,
  ]);
});
