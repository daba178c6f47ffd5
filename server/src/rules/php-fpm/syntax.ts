import type { Rule } from '../../core/rule';
import { fpmEntries } from '../../parsers/phpfpm/parser';
import { arrayKeyProblem } from '../../reference/phpfpm';

export const rule: Rule = {
  id: 'php-fpm/syntax',
  format: 'php-fpm',
  defaultSeverity: 'error',
  title: 'Line php-fpm cannot read',
  docs: `Finds lines php-fpm refuses before it even looks at what they set: a section header without its closing
\`]\`, a quote left open, a line without \`=\`, an \`=\` or an operator (\`& | ^ ~ ! ( )\`) in an unquoted value,
a value starting with a reserved word (\`yes\`, \`no\`, \`on\`, \`off\`, \`true\`, \`false\`, \`none\`, \`null\`) and
going on, an indented \`[section]\`, and array entries with a missing or superfluous key (\`php_value[] = …\`).
The message is PHP's own (\`syntax error, unexpected …\`, \`value is NULL for a ZEND_INI_PARSER_ENTRY\`), followed
by what it means.

**At runtime:** php-fpm reads its configuration one line at a time and stops at the first line it cannot read:
\`php-fpm -t\` fails, a restart leaves no php-fpm running and a reload kills the running one. nginx then finds
nothing listening on the pool's socket (\`connect() … failed (2: No such file or directory)\` or
\`(111: Connection refused)\`) and answers **502 Bad Gateway** to every PHP request.

**What to change:** write each setting as \`key = value\` on one line; quote values containing \`=\`, \`;\` or
operators (\`key = "a=b"\`); close every \`"\`, \`'\` and \`[\` on the line where it opens; start section headers in
the first column; give \`php_value[…]\`, \`php_admin_value[…]\`, \`php_flag[…]\`, \`php_admin_flag[…]\` and
\`env[…]\` a name between the brackets and leave \`access.suppress_path[]\` empty.`,
  check(ctx) {
    for (const file of ctx.model.fpm) {
      for (const error of file.parse.errors) {
        ctx.report({ file: file.id, range: error.range, message: error.hint ? `${error.message} — ${error.hint}` : error.message });
      }
      for (const entry of fpmEntries(file.parse)) {
        if (!entry.arrayKey) continue;
        const { base, name } = entry.arrayKey;
        const problem = arrayKeyProblem(base, name);
        if (!problem) continue;
        if (base !== 'access.suppress_path') {
          const example = `${base}[name] = value`;
          ctx.report({ file: file.id, range: entry.keyRange, message: `${problem} — name the setting between the brackets, e.g. \`${example}\`` });
          continue;
        }
        ctx.report({
          file: file.id,
          range: entry.keyRange,
          message: `${problem} — write \`access.suppress_path[] = /path\`, one line per path`,
          fixes: [{
            title: 'Remove the key: access.suppress_path[]',
            edits: [{ file: file.id, range: entry.keyRange, newText: 'access.suppress_path[]' }],
            isPreferred: true,
          }],
        });
      }
    }
  },
};
