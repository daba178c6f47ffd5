import { readdirSync, readFileSync, statSync } from 'node:fs';

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
}

/**
 * What the model may ask of the file system. The server lays its open documents over the disk,
 * tests use an in-memory map, and nothing here ever writes.
 */
export interface FileSystemHost {
  /** The text, or undefined when the file is missing or unreadable. */
  readFile(path: string): string | undefined;
  stat(path: string): FileStat | undefined;
  /** Entry names (not paths), or undefined when the directory is missing or unreadable. */
  readDirectory(path: string): string[] | undefined;
}

export const diskFileSystem: FileSystemHost = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  stat(path) {
    try {
      const s = statSync(path);
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size };
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
