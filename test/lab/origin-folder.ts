import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/**
 * A scenario's origin on disk: configs, scripts, sockets, pid and log files, all in one temp folder.
 * Folders are world-readable because nginx and PHP-FPM workers run as www-data, not as the owner.
 */
export class OriginFolder {
  private constructor(readonly root: string) {}

  static create(name: string): OriginFolder {
    const root = mkdtempSync(join(tmpdir(), `origin-doctor-lab-${name}-`));
    chmodSync(root, 0o755);
    const folder = new OriginFolder(root);
    for (const dir of ['log', 'run', 'tmp']) folder.makeDir(dir);
    return folder;
  }

  path(relativePath: string): string {
    return join(this.root, relativePath);
  }

  write(relativePath: string, text: string): void {
    this.makeDir(dirname(relativePath));
    writeFileSync(this.path(relativePath), text, { mode: 0o644 });
  }

  read(relativePath: string): string {
    return readFileSync(this.path(relativePath), 'utf8');
  }

  /** Every file, as absolute paths. */
  files(dir = this.root): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return this.files(path);
      return entry.isFile() ? [path] : [];
    });
  }

  relative(path: string): string {
    return relative(this.root, path);
  }

  /** Removes this folder, and nothing else: the root is always the one mkdtemp made. */
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  makeDir(relativePath: string): void {
    let dir = '';
    for (const part of relativePath.split('/').filter((p) => p !== '' && p !== '.')) {
      dir = join(dir, part);
      mkdirSync(this.path(dir), { recursive: true, mode: 0o755 });
    }
  }
}
