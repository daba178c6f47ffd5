import type { Rule } from '../../core/rule';
import { replaceValue } from '../../model/fpm-edits';
import { fpmPools, type FpmSetting } from '../../model/fpm-load';
import { atol, decodeBoolean } from '../../model/fpm-values';

const SETTING = 'zlib.output_compression';

export const rule: Rule = {
  id: 'php-fpm/zlib-compression',
  format: 'php-fpm',
  defaultSeverity: 'warning',
  title: 'PHP compresses its output behind nginx',
  docs: `Finds pools that turn on PHP's \`zlib.output_compression\` (\`php_admin_flag\`, \`php_flag\`,
\`php_admin_value\` or \`php_value\`).

**At runtime:** PHP gzips the response inside the worker and holds it in its compression buffer, while nginx (and
Cloudflare in front of it) compress again or expect to. The response's headers and length no longer match what
was sent, and a worker that dies or times out mid-response leaves a truncated gzip stream: nginx logs
\`upstream prematurely closed connection\` or \`upstream sent invalid … while reading response header\` and
answers **502 Bad Gateway**, and clients see broken pages.

**What to change:** turn it off in the pool (the quick fix writes \`off\`) and let nginx's \`gzip\` compress.`,
  check(ctx) {
    for (const pool of fpmPools(ctx.model.fpm)) {
      for (const setting of pool.settings) {
        if (!turnsCompressionOn(setting)) continue;
        ctx.report({
          file: setting.file.id,
          range: setting.entry.valueRange,
          message: `${setting.entry.key} turns on PHP's output compression in front of nginx's own: responses are buffered and compressed twice, and a worker that dies mid-response leaves nginx a broken stream (502)`,
          fixes: [{ title: `Set ${setting.entry.key} = off`, edits: [replaceValue(setting, 'off')], isPreferred: true }],
        });
      }
    }
  },
};

/** PHP's reading of zlib.output_compression: `on`, or a buffer size other than 0. */
function turnsCompressionOn({ entry }: FpmSetting): boolean {
  if (entry.arrayKey?.name !== SETTING || entry.computed) return false;
  const { base } = entry.arrayKey;
  if (base === 'php_flag' || base === 'php_admin_flag') {
    const flag = decodeBoolean(entry.value);
    return flag.ok && flag.value;
  }
  if (base !== 'php_value' && base !== 'php_admin_value') return false;
  const value = entry.value.trim().toLowerCase();
  return value === 'on' || (value !== 'off' && atol(value) !== 0);
}
