import { moreErrorsAfter } from '../../core/listing';
import type { Rule } from '../../core/rule';

export const rule: Rule = {
  id: 'cloudflared/yaml-syntax',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'cloudflared config is not valid YAML',
  docs: `Reports every problem the YAML parser finds in a cloudflared config file, at its position: broken
indentation, tabs used for indentation, unclosed quotes or brackets, a key set twice in the same mapping, an alias
(\`*name\`) to an anchor (\`&name\`) that is not defined before it.

**At runtime:** cloudflared reads its config with Go's yaml.v3 and stops at startup with
\`error parsing YAML in config file at ...\`. No connector comes up, so Cloudflare answers every hostname routed to
the tunnel with an error page instead of your site. A key set twice is no exception: yaml.v3 refuses the file
(\`mapping key "..." already defined\`) rather than keep one of the values.

Reported as warnings: a second YAML document after \`---\` (cloudflared reads only the first document and
silently ignores the rest, so settings written there never apply) and what the parser only warns about, such as
an unknown tag.

**What to change:** fix the YAML at the reported position. Indent with spaces only, keep the keys of one mapping
at the same column, quote values that start with \`*\`, \`&\`, \`!\`, \`%\`, \`@\` or a backtick (e.g.
\`hostname: "*.example.com"\`), and keep one copy of each key. Check the result with
\`cloudflared tunnel ingress validate\`.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { errors, errorsNotRecorded } = file.parse;
      errors.forEach((error, i) => {
        const more = i === errors.length - 1 ? moreErrorsAfter(errorsNotRecorded) : '';
        ctx.report({ file: file.id, range: error.range, message: error.message + more });
      });
      for (const warning of file.parse.warnings) {
        ctx.report({ file: file.id, range: warning.range, message: warning.message, severity: 'warning' });
      }
    }
  },
};
