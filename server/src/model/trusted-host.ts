import { realpathSync } from 'node:fs';
import { posix } from 'node:path';
import type { FileStat, FileSystemHost } from './host';

/**
 * The folders of a workspace, and whether a path lies within them: by its normalised path (so `..` cannot climb
 * out) and by where it really lands once symlinks are followed (so a link cannot point out).
 */
export class WorkspaceFolders {
  private readonly roots: string[];
  private readonly realRoots: string[];

  constructor(roots: readonly string[], private readonly realpath: (path: string) => string | undefined = realpathOrUndefined) {
    this.roots = roots.map((root) => posix.normalize(root));
    this.realRoots = this.roots.map((root) => realpath(root) ?? root);
  }

  contains(path: string): boolean {
    const normal = posix.normalize(path);
    if (!isAbsolute(normal) || !this.roots.some((root) => isWithin(normal, root))) return false;
    const real = this.landing(normal);
    return this.realRoots.some((root) => isWithin(real, root));
  }

  /** Where a path really leads: the real path of its deepest existing ancestor, with the rest of it appended. */
  private landing(path: string): string {
    const rest: string[] = [];
    for (let head = path; ; head = posix.dirname(head)) {
      const real = this.realpath(head);
      if (real !== undefined) return posix.join(real, ...rest.reverse());
      if (posix.dirname(head) === head) return path;
      rest.push(posix.basename(head));
    }
  }
}

/** Stands for every path an untrusted workspace may not read: not looked at, so neither found nor missing. */
const WITHHELD: FileStat = { isFile: false, isDirectory: false, size: 0, withheld: true };

/**
 * The file system as an untrusted workspace sees it: once confined, paths within the workspace folders pass
 * through to `base`, and any other path is withheld unread (its stat says `withheld`, reads give nothing).
 * Until then everything passes, as in a trusted workspace.
 */
export class TrustedFileSystem implements FileSystemHost {
  private folders?: WorkspaceFolders;

  constructor(private readonly base: FileSystemHost) {}

  /** From now on, read only within `folders`. */
  confineTo(folders: WorkspaceFolders): void {
    this.folders = folders;
  }

  readFile(path: string): string | undefined {
    return this.allows(path) ? this.base.readFile(path) : undefined;
  }

  stat(path: string): FileStat | undefined {
    return this.allows(path) ? this.base.stat(path) : WITHHELD;
  }

  readDirectory(path: string): string[] | undefined {
    return this.allows(path) ? this.base.readDirectory(path) : undefined;
  }

  private allows(path: string): boolean {
    return this.folders?.contains(path) ?? true;
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path).split('\\').join('/');
  } catch {
    return undefined;
  }
}

/** `/…` or, for the server on Windows, `c:/…`. */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}
