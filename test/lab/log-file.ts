import { existsSync, readFileSync } from 'node:fs';

/** A log a service appends to; marks let a check read only what was written since a restart. */
export class LogFile {
  constructor(readonly path: string) {}

  text(): string {
    return existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
  }

  mark(): number {
    return this.text().length;
  }

  since(mark: number): string {
    return this.text().slice(mark);
  }

  /** The last lines, to put in a failure message. */
  tail(lines = 20): string {
    return this.text().trimEnd().split('\n').slice(-lines).join('\n');
  }
}
