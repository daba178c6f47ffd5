import type { Rule } from '../../core/rule';
import { capacityFormula, fpmCapacity, poolShares } from '../../model/fpm-capacity';
import { setPoolOptions } from '../../model/fpm-edits';
import { fpmConfigurations } from '../../model/fpm-load';
import { poolSizes } from '../../model/fpm-sizing';
import { fastcgiPassesReaching, type OriginModel } from '../../model/origin';
import type { FpmSection } from '../../parsers/phpfpm/ast';

/** The pool sections some nginx fastcgi_pass of the workspace reaches. */
function servedSections(origin: OriginModel): Set<FpmSection> {
  return new Set(origin.pools.filter((pool) => fastcgiPassesReaching(origin, pool).length > 0).map((pool) => pool.section));
}

/** php-fpm's sample www.conf value, kept by most installations. */
const SAMPLE_MAX_CHILDREN = 5;
/** "Far below": the pools together ask for less than this share of what the machine carries. */
const FAR_BELOW = 1 / 4;

export const rule: Rule = {
  id: 'php-fpm/max-children-low',
  format: 'php-fpm',
  defaultSeverity: 'warning',
  title: 'pm.max_children far below what the server can carry',
  docs: `Finds pools whose \`pm.max_children\` is far below what the machine's memory allows: together, the pools of
one php-fpm master ask for less than a quarter of floor((\`originDoctor.server.memoryMB\` − \`reservedMB\`) /
\`originDoctor.phpFpm.processMemoryMB\`) workers. While the machine's memory is not set, only the value of
php-fpm's sample www.conf, \`pm.max_children = 5\`, is reported, with the formula to size it.

**At runtime:** every worker serves one request at a time. Under load all of them are busy, new requests wait in
the listen queue and php-fpm logs \`WARNING: [pool www] server reached pm.max_children setting (5), consider
raising it\`. When the queue is full nginx's connections are refused and it answers **502 Bad Gateway**; when they
wait longer than \`fastcgi_read_timeout\` it answers 504.

**What to change:** set \`pm.max_children\` to the computed capacity (the quick fix does, sharing it between
pools in proportion to what each asks for now; a pool of one worker, such as a health check's, keeps it unless nginx passes PHP requests to it), and
\`originDoctor.phpFpm.processMemoryMB\` to the real average resident memory of a worker
(\`ps -o rss -C php-fpm8.2\`).`,
  check(ctx) {
    const capacity = fpmCapacity(ctx.settings);
    for (const configuration of fpmConfigurations(ctx.model.fpm)) {
      const sizes = poolSizes(configuration);
      if (!sizes || sizes.length === 0) continue;
      const total = sizes.reduce((sum, s) => sum + s.maxChildren, 0);
      if (!capacity) {
        for (const { setting, maxChildren } of sizes) {
          if (maxChildren !== SAMPLE_MAX_CHILDREN) continue;
          ctx.report({
            file: setting.file.id,
            range: setting.entry.valueRange,
            message: 'pm.max_children = 5 is the value of php-fpm\'s sample www.conf: 5 requests at once, the rest queue and end in '
              + `502/504 under load ("server reached pm.max_children setting"). Size it to the machine: ${capacityFormula(ctx.settings)} `
              + 'workers (set originDoctor.server.memoryMB to have it computed)',
          });
        }
        continue;
      }
      if (total >= capacity.workers * FAR_BELOW) continue;
      // A one-worker pool is a deliberate singleton (a health check, a cron endpoint) and keeps its worker,
      // unless nginx sends it PHP requests: then it serves visitors one at a time.
      const serving = servedSections(ctx.model.origin);
      const growing = sizes.filter((s) => s.maxChildren > 1 || s.pool.headers.some((h) => serving.has(h.section)));
      const shares = poolShares(capacity.workers - (total - growing.reduce((sum, s) => sum + s.maxChildren, 0)), growing.map((s) => s.maxChildren));
      growing.forEach(({ pool, setting, maxChildren }, i) => {
        const together = sizes.length > 1 ? ` (${total} over ${sizes.length} pools)` : '';
        ctx.report({
          file: setting.file.id,
          range: setting.entry.valueRange,
          message: `pm.max_children = ${maxChildren}${together} is far below the ${capacity.workers} workers this machine can carry `
            + `(${capacityFormula(ctx.settings)}): under load requests queue ("server reached pm.max_children setting") and nginx answers 502/504`,
          fixes: [setPoolOptions(pool, [['pm.max_children', String(shares[i])]])],
        });
      });
    }
  },
};
