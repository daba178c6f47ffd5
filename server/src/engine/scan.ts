import { posix } from 'node:path';
import { classifyFile, type FileKind } from '../model/classify';
import type { FileSystemHost } from '../model/host';

export interface ScannedFile {
  path: string;
  kind: FileKind;
  text: string;
}

export interface ScanLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxFiles: 50000, maxFileBytes: 16 * 1024 * 1024 };

/** Folders that hold dependencies or build output, never an origin's configuration. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test', 'vendor']);

/** Names worth reading to classify: config-ish extensions, and extension-less files (fastcgi_params, sites-enabled/x). */
function isCandidateName(name: string): boolean {
  return /\.(conf|nginx|template|ya?ml|types)$/.test(name) || !name.includes('.') || /\.conf\.(sample|example)$/.test(name);
}

/**
 * Finds every nginx, PHP-FPM, cloudflared and compose file under `root`, classified as the editor does.
 * Iterative and bounded: a huge tree yields at most `maxFiles` files and never recurses.
 */
export function scanFolder(host: FileSystemHost, root: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): { files: ScannedFile[]; truncated: boolean } {
  const files: ScannedFile[] = [];
  const pending = [root];
  let visited = 0;
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const names = host.readDirectory(dir);
    if (!names) continue;
    for (const name of names.sort()) {
      const path = posix.join(dir, name);
      const stat = host.stat(path);
      if (!stat) continue;
      if (stat.isDirectory) {
        if (!SKIPPED_FOLDERS.has(name)) pending.push(path);
        continue;
      }
      if (!stat.isFile || stat.size > limits.maxFileBytes || !isCandidateName(name)) continue;
      if (++visited > limits.maxFiles) return { files, truncated: true };
      const text = host.readFile(path);
      if (text === undefined) continue;
      const kind = classifyFile(path, text);
      if (kind) files.push({ path, kind, text });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, truncated: false };
}
