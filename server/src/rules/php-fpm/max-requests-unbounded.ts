import type { Rule } from '../../core/rule';
import { setPoolOptions } from '../../model/fpm-edits';
import { fpmPools } from '../../model/fpm-load';
import { poolInteger, poolProcessManager } from '../../model/fpm-settings';

/** A common bound: high enough that forking stays rare, low enough that a leak cannot grow for long. */
const SUGGESTED_MAX_REQUESTS = '500';

export const rule: Rule = {
  id: 'php-fpm/max-requests-unbounded',
  format: 'php-fpm',
  defaultSeverity: 'hint',
  title: 'Workers never recycled (pm.max_requests = 0)',
  docs: `Finds \`pm = dynamic\` and \`pm = ondemand\` pools with \`pm.max_requests = 0\`, php-fpm's default: a worker
serves requests for as long as it lives.

**At runtime:** PHP applications and extensions that leak memory make each long-lived worker grow. Over days the
pool outgrows the machine, it swaps, and the kernel's OOM killer ends workers in the middle of requests: nginx
logs \`upstream prematurely closed connection\` and answers **502 Bad Gateway**.

**What to change:** set \`pm.max_requests\` (the quick fix adds \`pm.max_requests = 500\` after \`pm\`): each
worker is replaced after that many requests, which bounds what a leak can take.`,
  check(ctx) {
    for (const pool of fpmPools(ctx.model.fpm)) {
      const style = poolProcessManager(pool);
      if (!style?.setting || (style.value !== 'dynamic' && style.value !== 'ondemand')) continue;
      const maxRequests = poolInteger(pool, 'pm.max_requests');
      if (maxRequests?.value !== 0) continue;
      const where = maxRequests.setting ?? style.setting;
      ctx.report({
        file: where.file.id,
        range: where.entry.valueRange,
        message: `pm.max_requests = 0${maxRequests.setting ? '' : ' (not set)'}: workers of this ${style.value} pool are never replaced, `
          + 'so a leaking application grows until memory runs out and workers die mid-request (502)',
        fixes: [setPoolOptions(pool, [['pm.max_requests', SUGGESTED_MAX_REQUESTS]], style.setting)],
      });
    }
  },
};
