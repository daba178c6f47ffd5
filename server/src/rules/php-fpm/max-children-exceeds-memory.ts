import type { Related } from '../../core/findings';
import type { Rule } from '../../core/rule';
import { capacityFormula, fpmCapacity, poolShares } from '../../model/fpm-capacity';
import { setPoolOptions } from '../../model/fpm-edits';
import { fpmConfigurations } from '../../model/fpm-load';
import { poolSizes, resizedOptions } from '../../model/fpm-sizing';

export const rule: Rule = {
  id: 'php-fpm/max-children-exceeds-memory',
  format: 'php-fpm',
  defaultSeverity: 'warning',
  title: 'pm.max_children needs more memory than the server has',
  docs: `Finds pools whose workers, at \`pm.max_children\` each, need more memory than the machine has left:
the pools of one php-fpm master together × \`originDoctor.phpFpm.processMemoryMB\` above
\`originDoctor.server.memoryMB\` − \`originDoctor.server.reservedMB\`. Needs \`originDoctor.server.memoryMB\`.

**At runtime:** under load php-fpm forks workers up to the limit; the machine swaps, then the kernel's OOM killer
kills workers (or the database). A killed worker drops its request: nginx logs \`upstream prematurely closed
connection\` or \`recv() failed (104: Connection reset by peer)\` and answers **502 Bad Gateway**; a swapping
machine answers 504s first.

**What to change:** set \`pm.max_children\` to what fits, floor((memory − reserved) / per-worker memory); the
quick fix does, shared between pools in proportion to what each asks for now, and moves \`pm = dynamic\` spare
servers inside the new limit. Set \`originDoctor.phpFpm.processMemoryMB\` to the real average resident memory of a
worker (\`ps -o rss -C php-fpm8.2\`).`,
  check(ctx) {
    const capacity = fpmCapacity(ctx.settings);
    if (!capacity) return;
    for (const configuration of fpmConfigurations(ctx.model.fpm)) {
      const sizes = poolSizes(configuration);
      if (!sizes || sizes.length === 0) continue;
      const total = sizes.reduce((sum, s) => sum + s.maxChildren, 0);
      const neededMB = total * capacity.processMemoryMB;
      if (neededMB <= capacity.availableMB) continue;
      const shares = poolShares(capacity.workers, sizes.map((s) => s.maxChildren));
      sizes.forEach(({ pool, setting, maxChildren }, i) => {
        const others: Related[] = sizes.filter((_, j) => j !== i).map((s) => ({
          file: s.setting.file.id, range: s.setting.entry.valueRange, message: `pool '${s.pool.name}': pm.max_children = ${s.maxChildren}`,
        }));
        const together = sizes.length > 1 ? `, with the other pools ${total} workers,` : '';
        ctx.report({
          file: setting.file.id,
          range: setting.entry.valueRange,
          message: `pm.max_children = ${maxChildren}${together} × ${capacity.processMemoryMB} MB = ${neededMB} MB, but `
            + `${Math.max(0, capacity.availableMB)} MB are left for php-fpm (${capacity.memoryMB} MB − ${capacity.reservedMB} MB reserved): `
            + `under load the OOM killer ends workers mid-request and nginx answers 502. What fits: ${capacityFormula(ctx.settings)}`,
          ...(others.length ? { related: others } : {}),
          fixes: [setPoolOptions(pool, resizedOptions(pool, shares[i]))],
        });
      });
    }
  },
};
