import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForFindings, workspaceRoot } from './helpers';

export const NGINX_CONF = 'nginx/nginx.conf';
export const SHOP_CONF = 'nginx/sites-enabled/shop.conf';
export const POOL = 'php-fpm/pool.d/www.conf';
export const TUNNEL = 'cloudflared/config.yml';

/** A mistake examples/ is there to show, found by the text on its line (the files change; their mistakes stay). */
export interface ExampleMistake {
  file: string;
  rule: string;
  /** Text on the flagged line: its first line holding it. */
  on: string;
}

export const EXAMPLE_MISTAKES: ExampleMistake[] = [
  { file: TUNNEL, rule: 'cloudflared/yaml-syntax', on: '- service: http_status:404' },
  { file: NGINX_CONF, rule: 'nginx/unknown-directive', on: 'client_max_body_szie' },
  { file: NGINX_CONF, rule: 'nginx/include-not-found', on: 'include conf.d/cloudflare-real-ip.conf;' },
  { file: SHOP_CONF, rule: 'nginx/syntax', on: 'listen 80' },
  { file: SHOP_CONF, rule: 'nginx/directive-not-allowed-here', on: 'proxy_pass http://api_backend;' },
  { file: POOL, rule: 'php-fpm/hash-comment', on: '# MISTAKE' },
  { file: POOL, rule: 'php-fpm/unknown-directive', on: 'pm.max_request =' },
];

const originals = new Map<string, string[]>();

/** The lines of an example file as the runner copied it (read once, before any test changed it). */
function originalLines(file: string): string[] {
  let lines = originals.get(file);
  if (!lines) {
    lines = readFileSync(join(workspaceRoot().fsPath, ...file.split('/')), 'utf8').split('\n');
    originals.set(file, lines);
  }
  return lines;
}

/** The 1-based line of the first line of `file` that holds `text`, in the file as copied. */
export function lineOf(file: string, text: string): number {
  const index = originalLines(file).findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`examples/${file} has no line with ${JSON.stringify(text)} any more: update test/suite/examples.ts`);
  return index + 1;
}

/** `rule@line` of a mistake, as findingsOf() lists them. */
export function findingOf(mistake: ExampleMistake): string {
  return `${mistake.rule}@${lineOf(mistake.file, mistake.on)}`;
}

export function mistake(file: string, rule: string): ExampleMistake {
  const found = EXAMPLE_MISTAKES.find((m) => m.file === file && m.rule === rule);
  if (!found) throw new Error(`no example mistake ${rule} in ${file}`);
  return found;
}

/** The example mistakes of one file, as `rule@line`. */
export function expectedFindings(file: string): string[] {
  return EXAMPLE_MISTAKES.filter((m) => m.file === file).map(findingOf).sort();
}

/** Waits until every example file shows (at least) its mistakes. */
export async function waitForExampleFindings(): Promise<void> {
  for (const file of new Set(EXAMPLE_MISTAKES.map((m) => m.file))) await waitForFindings(file, expectedFindings(file));
}
