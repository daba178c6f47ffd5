import { spawnSync } from 'node:child_process';

let detected: string | null | undefined;

/**
 * The version of the nginx on the PATH (`nginx -v` prints `nginx version: nginx/1.22.1` on stderr),
 * asked once per process; undefined when there is none.
 */
export function detectNginxVersion(): string | undefined {
  if (detected === undefined) {
    try {
      const result = spawnSync('nginx', ['-v'], { encoding: 'utf8', timeout: 2000 });
      detected = /nginx\/(\d+\.\d+\.\d+)/.exec(`${result.stderr ?? ''}${result.stdout ?? ''}`)?.[1] ?? null;
    } catch {
      detected = null;
    }
  }
  return detected ?? undefined;
}
