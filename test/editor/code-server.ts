import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import type { EditorTools } from './tools';

/** code-server answers /healthz within a few seconds; a minute means it is stuck. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const INSTALL_TIMEOUT_MS = 120_000;

/**
 * User settings for a quiet workbench: no welcome page, no AI side bar, no git, no update or gallery checks,
 * hovers after 100 ms. `extra` is merged on top.
 */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Default Dark Modern',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'scm.diffDecorations': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'originDoctor.autoDetectLanguage': 'never',
};

/** Process groups still running: killed when this process ends, also by Ctrl+C or `timeout`'s SIGTERM. */
const liveGroups = new Set<number>();
let exitGuardInstalled = false;

export function installExitGuard(): void {
  if (exitGuardInstalled) return;
  exitGuardInstalled = true;
  process.on('exit', () => {
    for (const group of liveGroups) killGroup(group, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping code-server and the browser`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // The group is gone already.
  }
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServerOptions {
  tools: EditorTools;
  /** A temporary folder of this run: user data, extensions, HOME and the log go inside it. */
  dir: string;
  /** More command-line arguments, e.g. `['--vscode-option', 'enable-smoke-test-driver']`. */
  args?: string[];
  /** User settings on top of QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
}

/**
 * code-server on 127.0.0.1 in its own process group, with its state inside `dir`: nothing in the home folder,
 * no extension gallery (so no connection leaves the machine), no telemetry or update check.
 */
export class CodeServer {
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logPath: string;
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private port = 0;

  constructor(private readonly options: CodeServerOptions) {
    this.userDataDir = join(options.dir, 'user-data');
    this.extensionsDir = join(options.dir, 'extensions');
    this.logPath = join(options.dir, 'code-server.log');
    mkdirSync(join(this.userDataDir, 'User'), { recursive: true });
    mkdirSync(this.extensionsDir, { recursive: true });
    mkdirSync(this.home, { recursive: true });
    writeFileSync(join(this.userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2)}\n`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The authority of vscode-remote:// URIs for this server's files (extension and test paths). */
  get authority(): string {
    return `127.0.0.1:${this.port}`;
  }

  private get home(): string {
    return join(this.options.dir, 'home');
  }

  private get env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_DATA_HOME: join(this.home, '.local', 'share'),
      XDG_CACHE_HOME: join(this.home, '.cache'),
      // An empty gallery: the workbench offers no marketplace and asks none for updates or recommendations.
      EXTENSIONS_GALLERY: '{}',
    };
    // The language server and the probe run in the extension host: nothing of the outer npm or test runner.
    for (const name of Object.keys(env)) if (/^(npm_|NODE_OPTIONS$|NODE_TEST_CONTEXT$)/.test(name)) delete env[name];
    return env;
  }

  private get commonArgs(): string[] {
    return ['--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir, '--config', join(this.options.dir, 'config.yaml')];
  }

  /** `code-server --install-extension file.vsix`, as a person installs a downloaded package. */
  async installExtension(vsix: string): Promise<string> {
    const output = await runToEnd(this.options.tools.node, [this.options.tools.codeServer, ...this.commonArgs, '--install-extension', vsix], this.env, INSTALL_TIMEOUT_MS);
    this.appendLog(`$ code-server --install-extension ${vsix}\n${output.text}`);
    if (output.code !== 0 || !/successfully installed/i.test(output.text)) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${output.code}):\n${output.text}`);
    }
    return output.text.trim();
  }

  /** Starts the server and resolves once GET /healthz answers. */
  async start(): Promise<void> {
    installExitGuard();
    this.port = await freePort();
    const fd = openSync(this.logPath, 'a');
    const args = [
      this.options.tools.codeServer,
      '--bind-addr', this.authority,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...this.commonArgs,
      ...(this.options.args ?? []),
    ];
    const child = spawn(this.options.tools.node, args, { env: this.env, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    if (child.pid === undefined) throw new Error('code-server could not be started');
    liveGroups.add(child.pid);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let gone: number | null | undefined;
    void this.exited.then((code) => (gone = code));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (gone !== undefined) throw new Error(`code-server exited (${gone}) before it was ready:\n${this.logTail()}`);
      if (await healthy(`${this.url}/healthz`)) return;
      if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz in ${READY_TIMEOUT_MS / 1000} s:\n${this.logTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Resolves with the exit code when code-server ends by itself (a crash): tests race it against their work. */
  whenExited(): Promise<number | null> {
    return this.exited ?? new Promise(() => undefined);
  }

  /** SIGTERM to the whole group (server, extension hosts, language servers), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = undefined;
    const group = child.pid;
    killGroup(group, 'SIGTERM');
    const stopped = await Promise.race([
      this.exited!.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref()),
    ]);
    // The extension host and the language server are in the group too: make sure none outlives the server.
    killGroup(group, stopped ? 'SIGTERM' : 'SIGKILL');
    if (!stopped) await this.exited;
    liveGroups.delete(group);
  }

  logTail(lines = 80): string {
    if (!existsSync(this.logPath)) return '(no code-server log)';
    return readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /**
   * What to print when a test failed: the end of code-server's own log and of the workbench's logs in the user
   * data folder (the extension host's, and the extension's output channel "Origin Doctor").
   */
  failureReport(lines = 60): string {
    const parts = [`--- code-server log (${this.logPath}), last ${lines} lines ---\n${this.logTail(lines)}`];
    for (const file of listFiles(join(this.userDataDir, 'logs'))) {
      if (!/exthost|Origin Doctor|remoteagent/i.test(file)) continue;
      const text = readFileSync(file, 'utf8').trim();
      if (!text) continue;
      parts.push(`--- ${relative(this.options.dir, file)}, last ${lines} lines ---\n${text.split('\n').slice(-lines).join('\n')}`);
    }
    return parts.join('\n');
  }

  private appendLog(text: string): void {
    writeFileSync(this.logPath, `${text}\n`, { flag: 'a' });
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Runs a command in its own process group to the end, or kills the group at the time limit. */
function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; text: string }> {
  installExitGuard();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) liveGroups.add(child.pid);
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const timer = setTimeout(() => {
      text += `\n(killed after ${timeoutMs / 1000} s)`;
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (child.pid !== undefined) {
        killGroup(child.pid, 'SIGKILL');
        liveGroups.delete(child.pid);
      }
      resolve({ code, text });
    });
  });
}
