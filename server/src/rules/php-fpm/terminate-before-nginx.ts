import type { Rule } from '../../core/rule';
import { distinctByPlace, fastcgiPassesReaching, type NginxPass } from '../../model/origin';
import type { NginxNode } from '../../model/nginx-tree';
import { parseNginxTime } from '../../model/nginx-values';

/** nginx's fastcgi_read_timeout when no block sets it. */
const NGINX_DEFAULT_READ_TIMEOUT = 60;

export const rule: Rule = {
  id: 'php-fpm/terminate-before-nginx',
  format: 'php-fpm',
  defaultSeverity: 'warning',
  title: 'request_terminate_timeout kills PHP before nginx stops waiting',
  docs: `Flags a pool's \`request_terminate_timeout\` shorter than the \`fastcgi_read_timeout\` in force (nginx's
default is 60s) at a \`fastcgi_pass\` of the workspace that reaches the pool, directly or through an upstream.
Pools no \`fastcgi_pass\` of the workspace reaches are not judged; \`0\` (no limit) is never flagged.
(\`php-fpm/request-terminate-short\` compares the same setting with the pool's own \`max_execution_time\`.)

**At runtime:** a slow request reaches \`request_terminate_timeout\` first: php-fpm kills the worker
(\`execution timed out … terminating\` in its log), nginx logs \`upstream prematurely closed connection while
reading response header from upstream\` and answers **502 Bad Gateway**, where nginx's own timeout would have
given a 504 and left the worker alive.

**What to change:** raise \`request_terminate_timeout\` to at least the longest \`fastcgi_read_timeout\` of the
locations that pass to the pool (quick fix), or lower those timeouts.`,
  check(ctx) {
    const { origin } = ctx.model;
    for (const pool of origin.pools) {
      const entry = pool.get('request_terminate_timeout');
      const terminate = entry && parseFpmTime(entry.value);
      if (!entry || !terminate) continue;
      const waits = fastcgiPassesReaching(origin, pool)
        .map(readTimeout)
        .filter((wait): wait is Wait => wait !== undefined && wait.seconds > terminate);
      if (waits.length === 0) continue;
      const longest = waits.reduce((a, b) => (b.seconds > a.seconds ? b : a));
      const raised = formatLike(entry.value, Math.ceil(longest.seconds));
      ctx.report({
        file: pool.file.id,
        range: entry.range,
        message: `request_terminate_timeout = ${entry.value} in pool [${pool.name}] is shorter than nginx's fastcgi_read_timeout `
          + `${describeWait(longest)}: php-fpm kills a slow request's worker first, nginx logs "upstream prematurely closed `
          + 'connection while reading response header from upstream" and answers 502 instead of waiting.',
        related: distinctByPlace(waits, placeOf).map((wait) => ({ ...placeOf(wait), message: `fastcgi_read_timeout ${describeWait(wait)} here` })),
        fixes: [{
          title: `Raise request_terminate_timeout to ${raised}`,
          edits: [{ file: pool.file.id, range: entry.valueRange, newText: raised }],
          isPreferred: true,
        }],
      });
    }
  },
};

/** How long nginx waits at a pass, and the directive that says so (the pass itself when the default applies). */
interface Wait {
  seconds: number;
  node: NginxNode;
  isDefault: boolean;
}

function readTimeout(pass: NginxPass): Wait | undefined {
  const set = pass.effective('fastcgi_read_timeout');
  if (!set) return { seconds: NGINX_DEFAULT_READ_TIMEOUT, node: pass.node, isDefault: true };
  const seconds = parseNginxTime(set.directive.args[0]?.value ?? '');
  return seconds === undefined ? undefined : { seconds, node: set, isDefault: false };
}

function describeWait(wait: Wait): string {
  return wait.isDefault ? `${wait.seconds}s (nginx's default)` : wait.node.directive.args[0].value;
}

function placeOf(wait: Wait) {
  return { file: wait.node.file.id, range: wait.node.directive.range };
}

/**
 * Seconds of a php-fpm time (fpm_conf_set_time): digits with an optional `s`, `m`, `h` or `d`; undefined when
 * php-fpm would refuse it.
 */
function parseFpmTime(value: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
}

/** The new value in the old one's style: bare seconds stay bare, a suffixed value gets `s`. */
function formatLike(old: string, seconds: number): string {
  return /\d$/.test(old) ? String(seconds) : `${seconds}s`;
}
