import type { Rule } from '../../core/rule';
import { setPoolOptions } from '../../model/fpm-edits';
import { fpmPools } from '../../model/fpm-load';
import { poolInteger } from '../../model/fpm-settings';

/** Below this, an ordinary burst overflows the queue. */
const LOW_BACKLOG = 128;
/** php-fpm's own default outside Linux and the BSDs. */
const SUGGESTED_BACKLOG = '511';

export const rule: Rule = {
  id: 'php-fpm/listen-backlog-low',
  format: 'php-fpm',
  defaultSeverity: 'warning',
  title: 'listen.backlog too short for bursts',
  docs: `Finds pools with \`listen.backlog\` set between 0 and 127. The default (-1) and other negative values
mean the kernel's maximum (\`net.core.somaxconn\`) and are not reported.

**At runtime:** when every worker is busy, new connections wait in this queue. Once it is full the kernel refuses
them: nginx logs \`connect() to unix:/run/php/php-fpm.sock failed (11: Resource temporarily unavailable)\` (or
\`(111: Connection refused)\` over TCP) and answers **502 Bad Gateway** at once, where a longer queue would have
absorbed the burst.

**What to change:** remove the setting or raise it; the quick fix sets \`listen.backlog = 511\`. The kernel still
caps it at \`net.core.somaxconn\`.`,
  check(ctx) {
    for (const pool of fpmPools(ctx.model.fpm)) {
      const backlog = poolInteger(pool, 'listen.backlog');
      if (!backlog?.setting || backlog.value < 0 || backlog.value >= LOW_BACKLOG) continue;
      ctx.report({
        file: backlog.setting.file.id,
        range: backlog.setting.entry.valueRange,
        message: `listen.backlog = ${backlog.value}: when all workers are busy only ${backlog.value} connections can wait; the next ones are refused and nginx answers 502`,
        fixes: [setPoolOptions(pool, [['listen.backlog', SUGGESTED_BACKLOG]])],
      });
    }
  },
};
