import { Resolver } from 'node:dns';
import { readFileSync } from 'node:fs';
import { probeOrigin } from '../probe/probe';
import { parseProbeTarget, ProbeInputError } from '../probe/target';
import { formatProbeText } from '../probe/text-report';
import type { ProbeOptions } from '../probe/types';
import { formatOption, unknownOption, walkArgs } from './args';
import { UsageError } from './lint';

export const PROBE_USAGE = `  origin-doctor probe URL [--connect-to IP[:PORT]] [--timeout S] [--insecure] [--head-only]
                     [--cacert FILE] [--dns-servers IP[:PORT],...] [--format text|json]`;

interface ProbeCommand {
  options: ProbeOptions;
  format: 'text' | 'json';
}

/**
 * `origin-doctor probe`: exit 0 when the verdict is ok, 1 otherwise. Bad usage throws a UsageError before
 * anything is sent, so that `main` reports it with exit code 2.
 */
export function runProbe(args: string[]): Promise<number> {
  const { options, format } = parseProbeArgs(args);
  return probeOrigin(options).then(
    (result) => {
      process.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatProbeText(result));
      return result.verdicts.every((v) => v.id === 'ok') ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`origin-doctor: probe failed: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    },
  );
}

function parseProbeArgs(args: string[]): ProbeCommand {
  const options: Partial<ProbeOptions> = {};
  let format: ProbeCommand['format'] = 'text';
  const urls: string[] = [];
  walkArgs(args, (flag, value) => {
    if (flag === '--connect-to') options.connectTo = value();
    else if (flag === '--timeout') options.timeoutMs = seconds(value());
    else if (flag === '--insecure') options.insecure = true;
    else if (flag === '--head-only') options.headOnly = true;
    else if (flag === '--cacert') options.ca = [readPem(value())];
    else if (flag === '--dns-servers') options.dnsServers = dnsServers(value());
    else if (flag === '--format') format = formatOption(value(), ['text', 'json'] as const);
    else unknownOption(flag);
  }, (arg) => urls.push(arg));
  if (urls.length !== 1) throw new UsageError(urls.length === 0 ? 'probe needs a URL' : 'probe takes one URL');
  options.url = urls[0];
  try {
    // Checked here so that a bad URL or connect-to address is a usage error, not a failed probe.
    parseProbeTarget(options.url, options.connectTo);
  } catch (error) {
    if (error instanceof ProbeInputError) throw new UsageError(error.message);
    throw error;
  }
  return { options: options as ProbeOptions, format };
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--timeout needs a number of seconds above 0, not "${text}"`);
  return value * 1000;
}

/** `IP[:PORT],...`, checked by the resolver that will use them. */
function dnsServers(text: string): string[] {
  const servers = text.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    new Resolver().setServers(servers);
  } catch (error) {
    throw new UsageError(`--dns-servers: ${error instanceof Error ? error.message : String(error)}`);
  }
  return servers;
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
