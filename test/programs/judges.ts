import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Verdict {
  ok: boolean;
  output: string;
}

/** Fails the test loudly when the judging program is missing: these tests never skip. */
function requireProgram(command: string, installHint: string): void {
  const probe = spawnSync(command, ['-v'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`${command} is not installed; these tests need it as the judge (${installHint}).`);
}

/**
 * `nginx -t` on a set of files written to a temp prefix. `main` is the config given to `-c`; the pid
 * and error log are redirected into the prefix so the test touches nothing outside it.
 */
export function nginxTest(files: Record<string, string>, main: string): Verdict {
  requireProgram('nginx', 'apt-get install nginx-light');
  const prefix = mkdtempSync(join(tmpdir(), 'origin-doctor-nginx-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(prefix, path)), { recursive: true });
      writeFileSync(join(prefix, path), text);
    }
    mkdirSync(join(prefix, 'logs'), { recursive: true });
    const result = spawnSync('nginx', ['-t', '-q', '-p', `${prefix}/`, '-c', join(prefix, main), '-g', `pid ${prefix}/nginx.pid; error_log stderr;`], { encoding: 'utf8', timeout: 20000 });
    return { ok: result.status === 0, output: `${result.stderr}${result.stdout}`.split(prefix).join('<prefix>') };
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** A site snippet wrapped in the smallest main config nginx accepts, placed in `http`. */
export function wrapInHttp(snippet: string): Record<string, string> {
  return { 'nginx.conf': 'events {}\nhttp {\n    include site.conf;\n}\n', 'site.conf': snippet };
}
