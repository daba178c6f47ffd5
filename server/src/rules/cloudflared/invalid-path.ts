import type { Rule } from '../../core/rule';
import { goString } from './lib/go-yaml';
import { filledIn } from './lib/placeholders';
import { re2Message, re2SyntaxError } from './lib/re2-syntax';

export const rule: Rule = {
  id: 'cloudflared/invalid-path',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'The path of an ingress rule is not a regular expression cloudflared can compile',
  docs: `Reports an ingress rule \`path\` that Go's regular expression package (RE2 syntax), which cloudflared uses,
cannot compile. Common causes:

- a pattern that starts with \`*\` or has \`**\` (\`*/api\`): it is a regular expression, not a glob; write \`.*/api\`;
- constructs RE2 lacks on purpose, which PCRE, JavaScript or nginx accept: look-ahead and look-behind (\`(?=\`,
  \`(?!\`, \`(?<=\`, \`(?<!\`), backreferences (\`\\1\`, \`\\k<name>\`), possessive quantifiers (\`a++\`) and atomic
  groups (\`(?>\`);
- unbalanced parentheses or brackets, an unknown escape such as \`\\Z\`, a repeat count above 1000.

**At runtime:** cloudflared refuses to start (\`Rule #1 has an invalid regex: error parsing regexp: …\`), no
connector comes up, and Cloudflare answers every hostname of the tunnel with an error page.

**What to change:** rewrite the pattern in RE2 syntax. The path is matched anywhere in the request path unless
anchored: \`^/api/\` for a prefix, \`\\.(png|jpg)$\` for an extension. A negative look-ahead is usually an earlier
rule that takes the excluded paths.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      for (const rule of file.parse.config.ingress) {
        const path = goString(file, rule.path);
        const error = rule.path && path ? re2SyntaxError(filledIn(path)) : undefined;
        if (!rule.path || !error) continue;
        const lacks = error.unsupported ? `. RE2, the regular expression syntax of cloudflared, has no ${error.unsupported}` : '';
        ctx.report({
          file: file.id,
          range: rule.path.valueRange,
          message: `Rule #${rule.index + 1} has an invalid regex: ${re2Message(error)}${lacks}: cloudflared refuses to start`,
        });
      }
    }
  },
};
