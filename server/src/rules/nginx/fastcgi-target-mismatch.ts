import type { Fix, Related } from '../../core/findings';
import { listSome, MAX_LISTED } from '../../core/listing';
import type { Rule } from '../../core/rule';
import { editDistance } from '../../core/suggest';
import { passAddresses, poolsListeningAt, type FpmPool, type NginxPass, type PassAddress } from '../../model/origin';
import { connectAddress, isLocalEndpoint, type Endpoint } from '../../model/targets';
import { expandPool } from '../../parsers/phpfpm/parser';

export const rule: Rule = {
  id: 'nginx/fastcgi-target-mismatch',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'fastcgi_pass leads to no PHP-FPM pool of the workspace',
  docs: `Flags a \`fastcgi_pass\` whose unix socket or \`host:port\` (its own, or a server of the \`upstream\` it
names) matches the \`listen\` of no PHP-FPM pool in the workspace, while the workspace holds at least one pool.
\`127.0.0.1:9000\`, \`localhost:9000\` and a pool's bare \`9000\` are the same TCP target; \`/var/run/…\` is
\`/run/…\`, and Debian's \`/run/php/php-fpm.sock\` is the link its packages make to the versioned socket.
A \`pm.status_listen\` address counts as a listen too.

Stays silent when the target holds variables, names another host (a container such as \`php:9000\`, or
another machine: the workspace cannot tell what listens there), or when a pool's \`listen\` cannot be placed
(a relative path, an environment variable).

**At runtime:** nginx logs \`connect() to unix:/run/php/php7.4-fpm.sock failed (2: No such file or directory)\`
(or \`(111: Connection refused)\` for a port) and answers **502 Bad Gateway** to every PHP request. The usual
cause is a PHP upgrade: the pool now listens on \`php8.2-fpm.sock\` while the site still names the old socket.

**What to change:** point \`fastcgi_pass\` (or the upstream's \`server\`) at a pool's \`listen\`; the quick fixes
offer each pool, the nearest address first (the ten nearest, where there are more). Ranking compares an address
with every pool's, so the fixes stop where that would take more than two million comparisons (past 2,000 missed
addresses among 1,000 pools, say); the findings do not.`,
  check(ctx) {
    const { origin } = ctx.model;
    const placed = origin.pools.filter((pool) => pool.listen?.endpoint);
    // Without pools the other side is not in the workspace; with an unplaceable listen any target may be right.
    if (placed.length === 0 || origin.pools.some((pool) => pool.listen && !pool.listen.endpoint)) return;
    // Many passes may name the same missing socket (sites left on an old PHP version): ranked once each.
    const ranked = new Map<string, PoolAddress[]>();
    // Ranking compares an address with every pool's: past a budget of comparisons, addresses get no fixes.
    const rankable = Math.max(1, Math.floor(MAX_RANKING_COMPARISONS / placed.length));
    const nearestTo = (written: string) => {
      let nearest = ranked.get(written);
      if (!nearest) ranked.set(written, (nearest = ranked.size < rankable ? nearestPools(written, addresses) : []));
      return nearest;
    };
    const order = new Map(placed.map((pool, i) => [pool, i]));
    // How a pass writes each pool's listen, worked out once for every ranking.
    const addresses = placed.map((pool): PoolAddress => ({ pool, newText: connectAddress(pool.listen!.endpoint!), distance: 0 }));
    for (const pass of origin.passes) {
      if (pass.kind !== 'fastcgi_pass') continue;
      for (const address of passAddresses(pass)) {
        if (!isLocalEndpoint(address.endpoint) || poolsListeningAt(origin, address.endpoint).length > 0) continue;
        const nearest = nearestTo(address.arg.value);
        const pools = poolsToName(placed, order, nearest);
        ctx.report({
          file: pass.node.file.id,
          range: pass.node.directive.args[0].range,
          message: describe(pass, address, pools, placed.length),
          related: pools.slice(0, MAX_LISTED).map((pool): Related => ({
            file: pool.file.id,
            range: pool.listen!.entry.valueRange,
            message: `pool [${pool.name}] listens on ${listenValue(pool)}`,
          })),
          fixes: fixes(address, nearest),
        });
      }
    }
  },
};

/**
 * The first `MAX_LISTED` pools a finding names: where there are more, those its fixes offer, then the others, each
 * in the pools' order. Found without going through every pool, as each of thousands of findings may ask.
 */
function poolsToName(placed: readonly FpmPool[], order: ReadonlyMap<FpmPool, number>, nearest: readonly PoolAddress[]): FpmPool[] {
  if (placed.length <= MAX_LISTED) return [...placed];
  const offered = nearest.map((candidate) => candidate.pool).sort((a, b) => order.get(a)! - order.get(b)!);
  const named = new Set(offered);
  for (let i = 0; offered.length < MAX_LISTED && i < placed.length; i++) if (!named.has(placed[i])) offered.push(placed[i]);
  return offered;
}

function describe(pass: NginxPass, address: PassAddress, pools: FpmPool[], total: number): string {
  const written = address.arg.value;
  const via = pass.upstream ? `upstream ${pass.upstream.name} sends to ${written}, where` : `${written}:`;
  const listens = listSome(pools, (pool) => `[${pool.name}] on ${listenValue(pool)}`, total);
  return `${via} no PHP-FPM pool listens. nginx logs "${connectError(address.endpoint)}" and answers 502 to every PHP request. `
    + `Pools in this workspace: ${listens}.`;
}

/** nginx's error log line for the failed connection. */
function connectError(endpoint: Endpoint): string {
  return endpoint.kind === 'unix'
    ? `connect() to unix:${endpoint.path} failed (2: No such file or directory) while connecting to upstream`
    : 'connect() failed (111: Connection refused) while connecting to upstream';
}

function listenValue(pool: FpmPool): string {
  return expandPool(pool.listen!.entry.value, pool.name);
}

/** One fix per pool (the nearest few), rewriting the address where it is written, nearest spelling first; preferred when alone at that distance. */
function fixes(address: PassAddress, nearest: PoolAddress[]): Fix[] {
  if (nearest.length === 0) return [];
  const unique = nearest.length === 1 || nearest[0].distance < nearest[1].distance;
  return nearest.map(({ pool, newText }, i) => ({
    title: `Pass to pool [${pool.name}] (${newText})`,
    edits: [{ file: address.node.file.id, range: address.arg.range, newText }],
    ...(i === 0 && unique ? { isPreferred: true } : {}),
  }));
}

/** How many address comparisons one analysis may spend ranking pools for the fixes (2,000 passes × 1,000 pools). */
const MAX_RANKING_COMPARISONS = 2_000_000;

interface PoolAddress {
  pool: FpmPool;
  /** How a pass writes the pool's listen. */
  newText: string;
  distance: number;
}

/**
 * The `MAX_LISTED` of `pools` whose address is spelt nearest to `written`, nearest first (ties in the pools' order). Once
 * that many are kept, a pool further than the furthest of them is given up on part-way (`editDistance`'s limit).
 */
function nearestPools(written: string, pools: readonly PoolAddress[]): PoolAddress[] {
  const kept: PoolAddress[] = [];
  for (const { pool, newText } of pools) {
    const full = kept.length === MAX_LISTED;
    const bound = full ? kept[kept.length - 1].distance : Infinity;
    if (full && Math.abs(newText.length - written.length) >= bound) continue;
    const distance = editDistance(written, newText, bound);
    if (full && distance >= bound) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1].distance > distance) at--;
    kept.splice(at, 0, { pool, newText, distance });
    if (kept.length > MAX_LISTED) kept.pop();
  }
  return kept;
}
