/**
 * The hover on `pm.max_children`: how many workers the machine carries, the formula with the numbers filled in,
 * and the spare servers that go with it for `pm = dynamic`.
 */
import type { Settings } from '../core/settings';
import { containsPosition, type Position } from '../core/text';
import { capacityFormula, fpmCapacity, spareServers } from '../model/fpm-capacity';
import { decodeInteger } from '../model/fpm-values';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { fpmEntries } from '../parsers/phpfpm/parser';

export interface PoolSizeHoverInput {
  /** The pool's name, as in its `[header]`. */
  pool: string;
  /** Its pm.max_children, when known. */
  maxChildren?: number;
  /** Its `pm`, when known. */
  processManager?: string;
}

export function fpmCapacityHover(input: PoolSizeHoverInput, settings: Settings): string {
  const capacity = fpmCapacity(settings);
  const formula = `floor((memoryMB − reservedMB) / processMemoryMB) = ${capacityFormula(settings)}`;
  const lines = [`**Capacity of this machine** (pool \`${input.pool}\`)`, `\`${formula}\` workers`];
  if (!capacity) {
    lines.push('Set `originDoctor.server.memoryMB` to the machine\'s memory to have it computed.');
  } else {
    if (input.maxChildren !== undefined) {
      const share = capacity.workers > 0 ? Math.round((input.maxChildren / capacity.workers) * 100) : Infinity;
      lines.push(`pm.max_children = ${input.maxChildren} here: ${Number.isFinite(share) ? `${share} %` : 'more than all'} of it, ${input.maxChildren * capacity.processMemoryMB} MB at ${capacity.processMemoryMB} MB per worker.`);
    }
    if (input.processManager === 'dynamic' && capacity.workers > 0) {
      const spares = spareServers(capacity.workers);
      lines.push(`With pm = dynamic and pm.max_children = ${capacity.workers}: pm.min_spare_servers = ${spares.minSpare}, pm.max_spare_servers = ${spares.maxSpare}, pm.start_servers = ${spares.start}.`);
    }
  }
  lines.push(`Settings: originDoctor.server.memoryMB (${settings.server.memoryMB ?? 'not set'}), originDoctor.server.reservedMB (${settings.server.reservedMB}), originDoctor.phpFpm.processMemoryMB (${settings.phpFpm.processMemoryMB}).`);
  return lines.join('\n\n');
}

/** The hover's input when `position` is on a pool's `pm.max_children` line; undefined elsewhere. */
export function capacityHoverInputAt(parse: FpmParseResult, position: Position): PoolSizeHoverInput | undefined {
  const entry = fpmEntries(parse).find((e) => containsPosition(e.range, position));
  if (!entry?.section || entry.arrayKey || entry.key.toLowerCase() !== 'pm.max_children') return undefined;
  const children = decodeInteger(entry.value);
  const style = entry.section.entries.filter((e) => !e.arrayKey && e.key.toLowerCase() === 'pm').pop();
  return {
    pool: entry.section.name,
    ...(children.ok && !entry.computed ? { maxChildren: children.value } : {}),
    ...(style ? { processManager: style.value.toLowerCase() } : {}),
  };
}
