import type { Rule } from '../../core/rule';
import { isCatchAll } from './lib/ingress-rules';
import { appendIngressRule, entrySpan } from './lib/edits';
import { goString } from './lib/go-yaml';

export const rule: Rule = {
  id: 'cloudflared/ingress-catch-all-missing',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'The last ingress rule does not match every request',
  docs: `Reports a cloudflared config whose last ingress rule has a \`hostname\` (other than \`"*"\`) or a \`path\`.

**At runtime:** cloudflared sends a request to the first rule that matches it, and insists that the last rule
matches everything, so that no request is left without a rule. Otherwise it refuses to start:
\`The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)\`. No connector comes
up, and Cloudflare answers every hostname of the tunnel with an error page.

**What to change:** end the list with a rule that has neither \`hostname\` nor \`path\`, usually

\`\`\`yaml
ingress:
  - hostname: app.example.com
    service: http://127.0.0.1:8080
  - service: http_status:404
\`\`\`

The quick fix appends \`- service: http_status:404\`, which answers requests for any other hostname with 404.
Check with \`cloudflared tunnel ingress validate\`.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { ingress } = file.parse.config;
      const last = ingress[ingress.length - 1];
      if (!last || isCatchAll(file, last) !== false) continue;
      const hostname = goString(file, last.hostname);
      const filter = hostname !== '' && hostname !== '*' ? last.hostname : last.path;
      ctx.report({
        file: file.id,
        range: filter ? entrySpan(filter) : last.range,
        message: 'The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter): ' +
          'cloudflared refuses to start. End the list with a catch-all rule such as `- service: http_status:404`',
        fixes: [{
          title: 'Add a catch-all rule: `- service: http_status:404`',
          isPreferred: true,
          edits: [appendIngressRule(file, last, 'service: http_status:404', '{ service: http_status:404 }')],
        }],
      });
    }
  },
};
