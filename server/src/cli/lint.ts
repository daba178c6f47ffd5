import { relative, sep } from 'node:path';
import type { Settings } from '../core/settings';
import { Engine } from '../engine/engine';
import { scanFolder } from '../engine/scan';
import { classifyFile } from '../model/classify';
import { diskFileSystem } from '../model/host';

export class UsageError extends Error {}

/** Engine paths use `/`; the CLI speaks in the platform's own paths only at its edges. */
function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

export interface LoadedWorkspace {
  engine: Engine;
  /** How to name a file to the user: as given, or relative to the folder it was found in. */
  display: (path: string) => string;
}

/**
 * Loads files and folders into one engine, as one workspace. `given` holds the paths as typed, so
 * files are named as the user named them: a file as given, a folder's files relative to the folder.
 */
export function loadWorkspace(absolute: string[], given: string[], settings: Settings): LoadedWorkspace {
  const engine = new Engine(diskFileSystem, settings, (message) => process.stderr.write(`origin-doctor: ${message}\n`));
  const names = new Map<string, string>();
  absolute.forEach((path, i) => {
    const stat = diskFileSystem.stat(path);
    if (!stat) throw new UsageError(`cannot read ${given[i]}: no such file or folder`);
    if (stat.isDirectory) {
      const { files, truncated } = scanFolder(diskFileSystem, toPosix(path));
      if (truncated) process.stderr.write(`origin-doctor: ${given[i]} holds too many files; only the first ones were linted\n`);
      for (const file of files) {
        engine.setFile(file.path, file.text, file.kind);
        names.set(file.path, toPosix(relative(path, file.path)) || file.path);
      }
      return;
    }
    const text = diskFileSystem.readFile(path);
    if (text === undefined) throw new UsageError(`cannot read ${given[i]}`);
    const kind = classifyFile(toPosix(path), text);
    if (!kind) {
      process.stderr.write(`origin-doctor: ${given[i]}: not recognised as an nginx, PHP-FPM or cloudflared config; skipped\n`);
      return;
    }
    engine.setFile(toPosix(path), text, kind);
    names.set(toPosix(path), given[i]);
  });
  return { engine, display: (path) => names.get(path) ?? toPosix(relative(process.cwd(), path)) };
}
