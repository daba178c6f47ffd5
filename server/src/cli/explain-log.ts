import { resolve } from 'node:path';
import { resolveSettings } from '../core/settings';
import { detectNginxVersion } from '../engine/nginx-version';
import { explainGroups } from '../logs/explain';
import { formatExplanationJson, formatExplanationText } from '../logs/explanation-report';
import { analyzeLogFile, analyzeLogStream } from '../logs/log-reader';
import { diskFileSystem } from '../model/host';
import { formatOption, unknownOption, walkArgs } from './args';
import { loadWorkspace, UsageError } from './lint';

export const EXPLAIN_LOG_USAGE = `  origin-doctor explain-log [--config-root DIR] [--format text|json] FILE`;

export const EXPLAIN_LOG_HELP = `explain-log: reads an nginx error log or a PHP-FPM log (FILE, or - for stdin) in one streaming pass
and groups its lines by the cause of the 502 or 504 they report: count, first and last seen, what to
change. With --config-root, each cause points at the config lines responsible (the location that
handled the request, its *_pass, buffer sizes, timeouts, the pool's pm.max_children…).
Exit codes: 0 no cause found, 1 at least one, 2 bad usage or unreadable input.`;

interface Options {
  file: string;
  configRoot?: string;
  format: 'text' | 'json';
}

function parseArgs(args: string[]): Options {
  let file: string | undefined;
  let configRoot: string | undefined;
  let format: Options['format'] = 'text';
  walkArgs(args, (flag, value) => {
    if (flag === '--format') format = formatOption(value(), ['text', 'json'] as const);
    else if (flag === '--config-root') configRoot = value();
    else unknownOption(flag);
  }, (arg) => {
    if (file !== undefined) throw new UsageError('explain-log reads one log file');
    file = arg;
  });
  if (file === undefined) throw new UsageError('explain-log needs a log file (or - for stdin)');
  return { file, configRoot, format };
}

/**
 * `origin-doctor explain-log`. Bad usage and a missing file throw a UsageError before anything is read, so
 * the caller reports them like any other command's; a read that fails midway exits 2 with its reason.
 */
export function runExplainLog(args: string[]): Promise<number> {
  const options = parseArgs(args);
  const path = resolve(options.file);
  if (options.file !== '-' && !diskFileSystem.stat(path)?.isFile) throw new UsageError(`cannot read ${options.file}: no such file`);
  const workspace = options.configRoot === undefined
    ? undefined
    : loadWorkspace([resolve(options.configRoot)], [options.configRoot], resolveSettings({}, detectNginxVersion()));
  const reading = options.file === '-' ? analyzeLogStream(process.stdin) : analyzeLogFile(path);
  return reading.then((summary) => {
    const causes = explainGroups(summary.groups, workspace?.engine.analyze());
    const display = workspace?.display ?? ((file: string) => file);
    process.stdout.write(options.format === 'json' ? formatExplanationJson(causes, display) : formatExplanationText(causes, summary, display));
    return causes.length > 0 ? 1 : 0;
  }, (error: unknown) => {
    process.stderr.write(`origin-doctor: cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  });
}
