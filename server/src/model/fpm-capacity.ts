/**
 * How many php-fpm workers the machine can carry: the memory left once the OS, nginx and the database have
 * theirs, divided by what one worker takes. All pools of one php-fpm master share it.
 */
import type { Settings } from '../core/settings';

export interface Capacity {
  memoryMB: number;
  reservedMB: number;
  processMemoryMB: number;
  /** Memory left for workers; negative when the reserve alone exceeds the machine. */
  availableMB: number;
  /** floor(availableMB / processMemoryMB), at least 0. */
  workers: number;
}

/** The capacity from the settings; undefined while the machine's memory is unknown. */
export function fpmCapacity(settings: Settings): Capacity | undefined {
  const { memoryMB, reservedMB } = settings.server;
  if (memoryMB === undefined) return undefined;
  const { processMemoryMB } = settings.phpFpm;
  const availableMB = memoryMB - reservedMB;
  return { memoryMB, reservedMB, processMemoryMB, availableMB, workers: Math.max(0, Math.floor(availableMB / processMemoryMB)) };
}

/** The formula, with the numbers filled in where they are known: `floor((8192 − 1024) / 64) = 112`. */
export function capacityFormula(settings: Settings): string {
  const capacity = fpmCapacity(settings);
  const memory = capacity ? String(capacity.memoryMB) : 'memoryMB';
  const formula = `floor((${memory} − ${settings.server.reservedMB}) / ${settings.phpFpm.processMemoryMB})`;
  return capacity ? `${formula} = ${capacity.workers}` : formula;
}

/**
 * Each pool's share of `workers` when several pools share the machine, in proportion to what each asks for now;
 * every pool keeps at least one worker.
 */
export function poolShares(workers: number, asked: readonly number[]): number[] {
  const total = asked.reduce((sum, n) => sum + n, 0);
  return asked.map((n) => Math.max(1, total > 0 ? Math.floor((workers * n) / total) : Math.floor(workers / asked.length)));
}

export interface SpareServers {
  minSpare: number;
  maxSpare: number;
  start: number;
}

/**
 * Spare-server settings for `pm = dynamic` scaled to `maxChildren`: php-fpm's sample www.conf pairs 5 children
 * with 1 min and 3 max spare servers (20 % and 60 %), and php-fpm starts min + (max − min) / 2 when
 * pm.start_servers is not set.
 */
export function spareServers(maxChildren: number): SpareServers {
  const minSpare = Math.max(1, Math.floor(maxChildren * 0.2));
  const maxSpare = Math.max(minSpare, Math.floor(maxChildren * 0.6));
  return { minSpare, maxSpare, start: defaultStartServers(minSpare, maxSpare) };
}

/** What php-fpm starts with when pm.start_servers is not set (fpm_conf_process_all_pools). */
export function defaultStartServers(minSpare: number, maxSpare: number): number {
  return minSpare + Math.floor((maxSpare - minSpare) / 2);
}

/**
 * Spare-server settings php-fpm accepts with `maxChildren` (1 ≤ min ≤ max ≤ children, start between them unless
 * 0, which php-fpm replaces), keeping every given value that already fits.
 */
export function fitSpareServers(maxChildren: number, current: SpareServers): SpareServers {
  const suggested = spareServers(maxChildren);
  const minFits = current.minSpare >= 1;
  const maxFits = current.maxSpare >= 1;
  let minSpare = minFits ? current.minSpare : maxFits ? Math.min(suggested.minSpare, current.maxSpare) : suggested.minSpare;
  let maxSpare = maxFits ? current.maxSpare : Math.max(suggested.maxSpare, minSpare);
  if (minSpare > maxChildren || maxSpare > maxChildren) ({ minSpare, maxSpare } = suggested);
  if (maxSpare < minSpare) [minSpare, maxSpare] = [maxSpare, minSpare];
  const startFits = current.start <= 0 || (current.start >= minSpare && current.start <= maxSpare);
  return { minSpare, maxSpare, start: startFits ? current.start : defaultStartServers(minSpare, maxSpare) };
}
