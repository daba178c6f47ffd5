import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The compiled probe library, next to the compiled rules. */
const PROBE_DIR = join(__dirname, '../../server/src/probe');

/** The part of the probe library's `probeOrigin` (server/src/probe/types.ts) the lab uses. */
export type ProbeOrigin = (options: { url: string; headOnly?: boolean; timeoutMs?: number }) => Promise<{ verdicts: Array<{ id: string; finding: string }> }>;

/**
 * The probe library's entry point, from whichever of its modules exports `probeOrigin`; undefined
 * while none does (the library is being written alongside the lab).
 */
export function probeOriginEntry(): ProbeOrigin | undefined {
  if (!existsSync(PROBE_DIR)) return undefined;
  for (const file of readdirSync(PROBE_DIR).filter((name) => name.endsWith('.js'))) {
    const module = require(join(PROBE_DIR, file)) as { probeOrigin?: unknown };
    if (typeof module.probeOrigin === 'function') return module.probeOrigin as ProbeOrigin;
  }
  return undefined;
}
