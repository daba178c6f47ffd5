import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';

/** What a path that is neither a file nor a directory is. */
export type SpecialFile = 'fifo' | 'device' | 'socket';

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  /** Set for what is neither a file nor a directory, so a message can say what nginx would make of it. */
  special?: SpecialFile;
  /** Set when the host did not look: the path lies outside the folders an untrusted workspace may read. */
  withheld?: boolean;
}

/**
 * What the model may ask of the file system. The server lays its open documents over the disk,
 * tests use an in-memory map, and nothing here ever writes.
 */
export interface FileSystemHost {
  /** The text of a regular file, or undefined when the file is missing, unreadable or not a regular file. */
  readFile(path: string): string | undefined;
  stat(path: string): FileStat | undefined;
  /** Entry names (not paths), or undefined when the directory is missing or unreadable. */
  readDirectory(path: string): string[] | undefined;
}

// Opening without blocking: a FIFO with no writer would otherwise block the open itself, forever.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export const diskFileSystem: FileSystemHost = {
  readFile(path) {
    let fd: number | undefined;
    try {
      fd = openSync(path, OPEN_FLAGS);
      // Checked on the opened file, not by an earlier stat, so that nothing swapped in meanwhile is read: a FIFO
      // would block, and a device such as /dev/zero never ends.
      return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
  stat(path) {
    try {
      const s = statSync(path);
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, ...specialOf(s) };
    } catch {
      return undefined;
    }
  },
  readDirectory(path) {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
};

function specialOf(s: Stats): { special?: SpecialFile } {
  if (s.isFIFO()) return { special: 'fifo' };
  if (s.isCharacterDevice() || s.isBlockDevice()) return { special: 'device' };
  return s.isSocket() ? { special: 'socket' } : {};
}

/** Files held in memory (open editors, tests) laid over another host. Paths use `/`. */
export class OverlayFileSystem implements FileSystemHost {
  private readonly files = new Map<string, string>();

  constructor(private readonly base?: FileSystemHost) {}

  set(path: string, text: string): void {
    this.files.set(path, text);
  }

  delete(path: string): void {
    this.files.delete(path);
  }

  readFile(path: string): string | undefined {
    return this.files.get(path) ?? this.base?.readFile(path);
  }

  stat(path: string): FileStat | undefined {
    const text = this.files.get(path);
    if (text !== undefined) return { isFile: true, isDirectory: false, size: text.length };
    const own = this.hasEntriesUnder(path);
    const base = this.base?.stat(path);
    if (own && !base) return { isFile: false, isDirectory: true, size: 0 };
    return base;
  }

  readDirectory(path: string): string[] | undefined {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = new Set(this.base?.readDirectory(path) ?? []);
    let found = names.size > 0 || this.base?.stat(path)?.isDirectory === true;
    for (const file of this.files.keys()) {
      if (!file.startsWith(prefix)) continue;
      found = true;
      names.add(file.slice(prefix.length).split('/')[0]);
    }
    return found ? [...names].sort() : undefined;
  }

  private hasEntriesUnder(path: string): boolean {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }
}
