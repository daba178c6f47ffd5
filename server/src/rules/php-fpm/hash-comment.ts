import type { Rule } from '../../core/rule';

export const rule: Rule = {
  id: 'php-fpm/hash-comment',
  format: 'php-fpm',
  defaultSeverity: 'error',
  title: '`#` comment php-fpm refuses',
  docs: `Finds lines starting with \`#\`, meant as comments. Since PHP 7.0 the ini syntax php-fpm uses has only \`;\`
comments: a \`#\` line is read as a setting. \`# some text\` is refused with
\`value is NULL for a ZEND_INI_PARSER_ENTRY\`, a commented-out \`#listen = …\` with \`unknown entry '#listen'\`, and
text with quotes or brackets with a syntax error. The message quotes what php-fpm 8.2 says about the line.

**At runtime:** php-fpm stops reading its configuration at that line and does not start (\`php-fpm -t\` fails; a
reload takes the running master down). With nothing listening on the pool's socket, nginx logs
\`connect() … failed\` and answers **502 Bad Gateway** to every PHP request.

**What to change:** start comments with \`;\`. The quick fix replaces the \`#\`.`,
  check(ctx) {
    for (const file of ctx.model.fpm) {
      for (const comment of file.parse.comments) {
        if (comment.marker !== '#') continue;
        const start = comment.range.start;
        const hash = { start, end: { line: start.line, character: start.character + 1 } };
        const refusal = comment.refusal ? `; php-fpm refuses this line: ${comment.refusal}` : '';
        ctx.report({
          file: file.id,
          range: hash,
          message: `\`#\` does not start a comment in php-fpm (PHP ≥ 7.0)${refusal}`,
          fixes: [{ title: "Start the comment with ';'", edits: [{ file: file.id, range: hash, newText: ';' }], isPreferred: true }],
        });
      }
    }
  },
};
