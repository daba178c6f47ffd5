import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES } from './paths';

/** A temporary folder for one run; `remove()` deletes it, and only it. */
export interface RunFolder {
  path: string;
  remove(): void;
}

export function makeRunFolder(prefix: string): RunFolder {
  const path = mkdtempSync(join(tmpdir(), `origin-doctor-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A copy of examples/ at `<run>/examples`: the workspace the editor opens, so quick fixes never touch the repo. */
export function copyExamples(run: RunFolder): string {
  const workspace = join(run.path, 'examples');
  cpSync(EXAMPLES, workspace, { recursive: true });
  return workspace;
}
