import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Folders holding paths; an untrusted workspace's folders, where no nginx is run from. */
export interface Folders {
  contains(path: string): boolean;
}

let detected: string | null | undefined;
let forbidden: Folders | undefined;

/** Never run an nginx found within `folders`: an untrusted workspace may bring one of its own. */
export function neverRunNginxFrom(folders: Folders): void {
  forbidden = folders;
  detected = undefined;
}

/**
 * The version of the nginx on the PATH (`nginx -v` prints `nginx version: nginx/1.22.1` on stderr),
 * asked once per process; undefined when there is none.
 */
export function detectNginxVersion(): string | undefined {
  if (detected === undefined) {
    const binary = findNginx(process.env.PATH ?? '', forbidden);
    try {
      const result = binary ? spawnSync(binary, ['-v'], { encoding: 'utf8', timeout: 2000 }) : undefined;
      detected = /nginx\/(\d+\.\d+\.\d+)/.exec(`${result?.stderr ?? ''}${result?.stdout ?? ''}`)?.[1] ?? null;
    } catch {
      detected = null;
    }
  }
  return detected ?? undefined;
}

/**
 * The nginx executable the PATH names, as an absolute path. Never looked up by bare name, which on Windows tries
 * the working directory first; and relative PATH entries (`.`, or an empty one) are skipped: both resolve against
 * the working directory, which the editor sets to the workspace folder. Nor is one within `forbidden` taken.
 */
export function findNginx(path: string, forbidden?: Folders): string | undefined {
  const name = process.platform === 'win32' ? 'nginx.exe' : 'nginx';
  for (const dir of path.split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (forbidden?.contains(candidate.split('\\').join('/'))) continue;
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    const stat = statSync(path);
    // Windows has no execute bit; elsewhere any of owner, group or other will do, as the shell's lookup does.
    return stat.isFile() && (process.platform === 'win32' || (stat.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}
