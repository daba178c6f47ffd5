/**
 * The workspace's php-fpm files read the way one php-fpm master reads them: a main file (`php-fpm.conf`, or a
 * file with `[global]` and an `include`) with the files its includes name, in glob order and at the include's
 * place; files no main file reaches, one folder at a time (a `pool.d/` on its own). Sections with the same name,
 * compared without case, are one pool; a file without a header goes on with the section before it.
 */
import { posix } from 'node:path';
import type { Range } from '../core/text';
import type { FpmEntry, FpmParseResult, FpmSection } from '../parsers/phpfpm/ast';
import { expandGlob } from './glob';
import { OverlayFileSystem } from './host';
import type { ParsedFile } from './workspace';

export type FpmFile = ParsedFile<FpmParseResult>;

/** An entry and the file it is written in. */
export interface FpmSetting {
  file: FpmFile;
  entry: FpmEntry;
}

/** Where a finding about an entry's value points: the value, or the whole entry when the value is empty (a zero-width range is hard to see). */
export function valueRangeOf(entry: FpmEntry): Range {
  return entry.rawValue === '' ? entry.range : entry.valueRange;
}

export interface FpmPoolConfig {
  /** As php-fpm names it in its messages: the first header's spelling. */
  name: string;
  /** The `[name]` headers that open and reopen the pool, in load order. */
  headers: { file: FpmFile; section: FpmSection }[];
  /** Every entry of the pool, in load order. */
  settings: FpmSetting[];
  /** The entry php-fpm keeps for a scalar option: the last one; names compare without case, as php-fpm's do. */
  scalar(key: string): FpmSetting | undefined;
  /** `base[…]` entries in load order (`php_value`, `env`, …). */
  array(base: string): FpmSetting[];
  configuration: FpmConfiguration;
}

export interface FpmConfiguration {
  files: FpmFile[];
  /**
   * Read from php-fpm's main file: what no file sets, php-fpm does not get. A folder of pool files on its own
   * may be layered over files outside the workspace (a container image's www.conf), so what it lacks is unknown.
   */
  complete: boolean;
  /** Entries of `[global]`, in load order. */
  globals: FpmSetting[];
  pools: FpmPoolConfig[];
}

/** php-fpm stops at five nested includes. */
const MAX_INCLUDE_DEPTH = 5;
/** Files one include pattern may bring in, to stay bounded on huge folders. */
const MAX_INCLUDED_FILES = 1000;

/** One reading per analysis: the rules share the model's file list. */
const readings = new WeakMap<readonly FpmFile[], FpmConfiguration[]>();

export function fpmConfigurations(files: readonly FpmFile[]): FpmConfiguration[] {
  let configurations = readings.get(files);
  if (!configurations) {
    configurations = readConfigurations(files);
    readings.set(files, configurations);
  }
  return configurations;
}

function readConfigurations(files: readonly FpmFile[]): FpmConfiguration[] {
  const includes = includeResolver(files);
  const mains = files.filter(isMainFile);
  const reachedFromMain = new Set<FpmFile>();
  for (const main of mains) for (const file of includes.closure(main)) if (file !== main) reachedFromMain.add(file);

  const configurations = mains.filter((main) => !reachedFromMain.has(main)).map((main) => {
    const loader = new Loader(includes, true);
    loader.load(main, 0);
    return loader.finish();
  });
  const reached = new Set(configurations.flatMap((c) => c.files));
  const byFolder = new Map<string, FpmFile[]>();
  for (const file of files) {
    if (reached.has(file)) continue;
    const folder = posix.dirname(file.id);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  for (const folder of [...byFolder.values()]) {
    const loader = new Loader(includes, false);
    for (const file of [...folder].sort(byPath)) loader.load(file, 0);
    configurations.push(loader.finish());
  }
  return configurations;
}

/** Every pool of every configuration. */
export function fpmPools(files: readonly FpmFile[]): FpmPoolConfig[] {
  return fpmConfigurations(files).flatMap((c) => c.pools);
}

function isMainFile(file: FpmFile): boolean {
  if (posix.basename(file.id) === 'php-fpm.conf') return true;
  const hasGlobal = file.parse.sections.some((s) => s.name.toLowerCase() === 'global');
  return hasGlobal && allEntries(file).some((e) => e.key === 'include' && !e.arrayKey);
}

function allEntries(file: FpmFile): FpmEntry[] {
  return [...file.parse.preamble, ...file.parse.sections.flatMap((s) => s.entries)];
}

function byPath(a: FpmFile, b: FpmFile): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

interface IncludeResolver {
  /** The workspace files an `include` of `from` names, in glob order. */
  targets(from: FpmFile, pattern: string): FpmFile[];
  /** `file` and everything its includes reach. */
  closure(file: FpmFile): Set<FpmFile>;
}

/**
 * php-fpm resolves a relative include against its prefix, which the workspace does not show, and an absolute one
 * on the server. Both are looked for where they usually land: the named folder as written, or a folder of the
 * same name beside the main file (`/etc/php/8.2/fpm/pool.d/*.conf` from `fpm/php-fpm.conf` → `fpm/pool.d/`).
 */
function includeResolver(files: readonly FpmFile[]): IncludeResolver {
  const host = new OverlayFileSystem();
  const byId = new Map(files.map((f) => [f.id, f]));
  for (const file of files) host.set(file.id, file.text);
  const targets = (from: FpmFile, pattern: string): FpmFile[] => {
    const folder = posix.dirname(pattern);
    const folders = new Set([posix.join(posix.dirname(from.id), posix.basename(folder))]);
    if (pattern.startsWith('/')) folders.add(folder);
    const found = [...folders].flatMap((f) => expandGlob(host, posix.join(f, posix.basename(pattern)), MAX_INCLUDED_FILES).paths);
    return [...new Set(found)].sort().map((id) => byId.get(id)).filter((f): f is FpmFile => f !== undefined && f !== from);
  };
  const closure = (file: FpmFile): Set<FpmFile> => {
    const seen = new Set<FpmFile>([file]);
    const pending = [file];
    for (let next = pending.pop(); next; next = pending.pop()) {
      for (const entry of allEntries(next)) {
        if (entry.key !== 'include' || entry.arrayKey) continue;
        for (const target of targets(next, entry.value)) {
          if (!seen.has(target)) {
            seen.add(target);
            pending.push(target);
          }
        }
      }
    }
    return seen;
  };
  return { targets, closure };
}

/** Reads files in order, following includes, keeping track of the section php-fpm is in. */
class Loader {
  private readonly files: FpmFile[] = [];
  private readonly globals: FpmSetting[] = [];
  private readonly pools = new Map<string, { name: string; headers: FpmPoolConfig['headers']; settings: FpmSetting[] }>();
  /** A pool's lower-case name, `global`, or unknown (null) before a folder's first header. */
  private current: string | null;

  constructor(private readonly includes: IncludeResolver, private readonly complete: boolean) {
    this.current = complete ? 'global' : null;
  }

  load(file: FpmFile, depth: number): void {
    if (depth > MAX_INCLUDE_DEPTH) return;
    if (!this.files.includes(file)) this.files.push(file);
    for (const entry of file.parse.preamble) this.read(file, entry, depth);
    for (const section of file.parse.sections) {
      this.open(file, section);
      for (const entry of section.entries) this.read(file, entry, depth);
    }
  }

  private open(file: FpmFile, section: FpmSection): void {
    const key = section.name.toLowerCase();
    this.current = key === 'global' ? 'global' : key;
    if (key === 'global') return;
    const pool = this.pools.get(key) ?? { name: section.name, headers: [], settings: [] };
    pool.headers.push({ file, section });
    this.pools.set(key, pool);
  }

  private read(file: FpmFile, entry: FpmEntry, depth: number): void {
    if (entry.key === 'include' && !entry.arrayKey) {
      for (const target of this.includes.targets(file, entry.value)) this.load(target, depth + 1);
      return;
    }
    if (this.current === 'global') this.globals.push({ file, entry });
    else if (this.current !== null) this.pools.get(this.current)?.settings.push({ file, entry });
  }

  finish(): FpmConfiguration {
    const configuration: FpmConfiguration = { files: this.files, complete: this.complete, globals: this.globals, pools: [] };
    configuration.pools = [...this.pools.values()].map((pool) => poolConfig(pool.name, pool.headers, pool.settings, configuration));
    return configuration;
  }
}

function poolConfig(name: string, headers: FpmPoolConfig['headers'], settings: FpmSetting[], configuration: FpmConfiguration): FpmPoolConfig {
  const scalars = new Map<string, FpmSetting>();
  const arrays = new Map<string, FpmSetting[]>();
  for (const setting of settings) {
    const { arrayKey, key } = setting.entry;
    // Appended in place: a copy per entry made a pool with many `php_value[…]` lines quadratic.
    if (!arrayKey) scalars.set(key.toLowerCase(), setting);
    else if (arrays.has(arrayKey.base)) arrays.get(arrayKey.base)!.push(setting);
    else arrays.set(arrayKey.base, [setting]);
  }
  return { name, headers, settings, configuration, scalar: (key) => scalars.get(key), array: (base) => arrays.get(base) ?? [] };
}
