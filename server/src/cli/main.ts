import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveSettings, type Settings } from '../core/settings';
import { detectNginxVersion } from '../engine/nginx-version';
import { originMap, renderOriginMapText, type MapNode } from '../features/origin-map';
import { EXPLAIN_LOG_HELP, EXPLAIN_LOG_USAGE, runExplainLog } from './explain-log';
import { formatOption, unknownOption, walkArgs } from './args';
import { loadWorkspace, UsageError } from './lint';
import { PROBE_USAGE, runProbe } from './probe';
import { formatJson, formatText, toCliDiagnostic } from './report';
import { formatSarif } from './sarif';
import { ALL_RULES } from '../rules';

const VERSION = '0.1.0';

const USAGE = `Usage:
  origin-doctor lint [--format text|json|sarif] [--config settings.json] [--memory-mb MB] PATH...
  origin-doctor map [--format text|json] [--config settings.json] PATH...
${PROBE_USAGE}
${EXPLAIN_LOG_USAGE}

lint: finds the nginx, PHP-FPM and cloudflared settings behind 502 Bad Gateway.
map:  shows the way a request takes: Cloudflare hostname → tunnel service → nginx server →
      location → upstream / PHP-FPM pool, each step with its file and line.
A folder is scanned recursively and analysed as one origin, so rules that relate files work.

Exit codes: 0 no error-severity finding, 1 at least one, 2 bad usage or unreadable input.

probe: asks URL for HEAD, then GET (up to 1 MiB of its body), then HTTP/2 when the server offers
it, and says which cause of a 502 fits what it saw. --connect-to ORIGIN_IP bypasses DNS (and so
Cloudflare) while Host and the TLS name stay the URL's. Exit codes: 0 when the verdict is ok,
1 otherwise, 2 bad usage.

${EXPLAIN_LOG_HELP}`;

type Format = 'text' | 'json' | 'sarif';

interface WorkspaceOptions {
  format: Format;
  settings: Settings;
  paths: string[];
}

function parseWorkspaceArgs(command: string, args: string[], formats: readonly Format[]): WorkspaceOptions {
  let format: Format = 'text';
  let settings = resolveSettings({}, detectNginxVersion());
  let memoryMB: number | undefined;
  const paths: string[] = [];
  walkArgs(args, (flag, value) => {
    if (flag === '--format') format = formatOption(value(), formats);
    else if (flag === '--config') settings = readSettings(value());
    else if (flag === '--memory-mb') {
      memoryMB = Number(value());
      if (!Number.isFinite(memoryMB) || memoryMB <= 0) throw new UsageError('--memory-mb needs a positive number of megabytes');
    } else unknownOption(flag);
  }, (arg) => paths.push(arg));
  if (paths.length === 0) throw new UsageError(`${command} needs at least one file or folder`);
  // The flag wins over the settings file, wherever it stands on the line.
  if (memoryMB !== undefined) settings = { ...settings, server: { ...settings.server, memoryMB } };
  return { format, settings, paths };
}

/** Reads the same settings the editor has, either flat (`originDoctor.rules`) or nested. */
function readSettings(path: string): Settings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read settings from ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const object = (json ?? {}) as Record<string, unknown>;
  const nested = (object.originDoctor ?? {}) as Record<string, unknown>;
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key.startsWith('originDoctor.')) setPath(flat, key.slice('originDoctor.'.length).split('.'), value);
  }
  return resolveSettings({ ...object, ...nested, ...flat }, detectNginxVersion());
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

function load(options: WorkspaceOptions) {
  return loadWorkspace(options.paths.map((p) => resolve(p)), options.paths, options.settings);
}

function runLint(args: string[]): number {
  const options = parseWorkspaceArgs('lint', args, ['text', 'json', 'sarif']);
  const { engine, display } = load(options);
  const diagnostics = engine.analyze().findings.map((f) => toCliDiagnostic(f, display));
  const output =
    options.format === 'json' ? formatJson(diagnostics)
    : options.format === 'sarif' ? formatSarif(diagnostics, ALL_RULES, VERSION)
    : formatText(diagnostics);
  process.stdout.write(output);
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

function runMap(args: string[]): number {
  const options = parseWorkspaceArgs('map', args, ['text', 'json']);
  const { engine, display } = load(options);
  const roots = originMap(engine.analyze().model.origin);
  const relabel = (nodes: MapNode[]): unknown[] =>
    nodes.map((n) => ({ kind: n.kind, label: n.label, ...(n.at ? { file: display(n.at.file), line: n.at.line + 1 } : {}), children: relabel(n.children) }));
  process.stdout.write(options.format === 'json' ? `${JSON.stringify({ map: relabel(roots) }, null, 2)}\n` : renderOriginMapText(roots, display));
  return 0;
}

export function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'lint') return runLint(rest);
    if (command === 'probe') return runProbe(rest);
    if (command === 'map') return runMap(rest);
    if (command === 'explain-log') return runExplainLog(rest);
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`origin-doctor: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`origin-doctor: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}

