import type { Rule } from '../../core/rule';
import { replaceValue, setPoolOptions } from '../../model/fpm-edits';
import { fpmPools, type FpmPoolConfig, type FpmSetting } from '../../model/fpm-load';
import { poolSeconds } from '../../model/fpm-settings';
import { atol } from '../../model/fpm-values';

export const rule: Rule = {
  id: 'php-fpm/request-terminate-short',
  format: 'php-fpm',
  defaultSeverity: 'warning',
  title: 'request_terminate_timeout kills workers before max_execution_time',
  docs: `Finds pools whose \`request_terminate_timeout\` is shorter than the \`max_execution_time\` the same pool
gives PHP (\`php_admin_value[max_execution_time]\`, else \`php_value[max_execution_time]\`).

**At runtime:** a script allowed to run for \`max_execution_time\` is killed by php-fpm at
\`request_terminate_timeout\` instead (\`WARNING: [pool www] child 123, script '…' execution timed out …
terminating\`). The kill closes the FastCGI connection mid-request: nginx logs \`upstream prematurely closed
connection while reading response header from upstream\` and answers **502 Bad Gateway**, where PHP's own timeout
would have ended the script with an error page and a log line.

**What to change:** align the two: raise \`request_terminate_timeout\` to \`max_execution_time\` (the quick fix),
or lower \`max_execution_time\`. \`request_terminate_timeout\` is the safety net for scripts PHP cannot stop.`,
  check(ctx) {
    for (const pool of fpmPools(ctx.model.fpm)) {
      const terminate = poolSeconds(pool, 'request_terminate_timeout');
      const execution = maxExecutionTime(pool);
      if (!terminate?.setting || terminate.value <= 0 || !execution) continue;
      const seconds = atol(execution.entry.value);
      if (seconds <= 0 || terminate.value >= seconds) continue;
      const { arrayKey } = execution.entry;
      ctx.report({
        file: terminate.setting.file.id,
        range: terminate.setting.entry.valueRange,
        message: `request_terminate_timeout (${terminate.value} s) is shorter than max_execution_time (${seconds} s): php-fpm kills the `
          + 'worker first, nginx logs "upstream prematurely closed connection" and answers 502',
        related: [{ file: execution.file.id, range: execution.entry.range, message: `${arrayKey?.base}[max_execution_time] = ${execution.entry.value}` }],
        fixes: [
          setPoolOptions(pool, [['request_terminate_timeout', `${seconds}s`]]),
          { title: `Set max_execution_time = ${terminate.value}`, edits: [replaceValue(execution, String(terminate.value))] },
        ],
      });
    }
  },
};

/** The max_execution_time the pool gives PHP: php_admin_value wins over php_value, which scripts may change. */
function maxExecutionTime(pool: FpmPoolConfig): FpmSetting | undefined {
  for (const base of ['php_admin_value', 'php_value']) {
    const settings = pool.array(base).filter((s) => s.entry.arrayKey?.name === 'max_execution_time' && !s.entry.computed);
    if (settings.length > 0) return settings[settings.length - 1];
  }
  return undefined;
}
