import type { Fix } from '../../core/findings';
import type { Rule } from '../../core/rule';
import { replaceInValue } from './lib/edits';
import { goString } from './lib/go-yaml';
import { hostnameProblem } from './lib/hostnames';
import { hasPlaceholder } from './lib/placeholders';

export const rule: Rule = {
  id: 'cloudflared/invalid-hostname',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'The hostname of an ingress rule is one cloudflared refuses',
  docs: `Reports an ingress rule \`hostname\` that cloudflared refuses when it starts:

- one with a port (\`app.example.com:443\`): \`Hostname cannot contain a port\`. A hostname written as a URL
  (\`https://app.example.com\`) falls here too, because Go reads \`https\` as the host and \`//app.example.com\` as the port;
- one with a \`*\` anywhere but at the very start (\`app.*.example.com\`, \`**.example.com\`): \`Hostname patterns can
  have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"\`.

**At runtime:** cloudflared refuses the whole config, no connector comes up, and Cloudflare answers every hostname
of the tunnel with an error page.

**What to change:** write the name alone, without scheme, port or path; the port the visitor used is not part of
the match. For subdomains, start the hostname with \`*.\` and quote it (\`"*.example.com"\`). The quick fix keeps
the name and drops the rest.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      for (const rule of file.parse.config.ingress) {
        const hostname = goString(file, rule.hostname);
        if (!rule.hostname || hostname === undefined || hasPlaceholder(hostname)) continue;
        const problem = hostnameProblem(hostname);
        if (!problem) continue;
        const edit = problem.name === undefined ? undefined : replaceInValue(file, rule.hostname, 0, hostname.length, problem.name);
        const fixes: Fix[] = edit ? [{ title: `Change to \`${problem.name}\``, isPreferred: true, edits: [edit] }] : [];
        ctx.report({
          file: file.id,
          range: rule.hostname.valueRange,
          message: `${problem.message}: cloudflared refuses to start`,
          ...(fixes.length > 0 ? { fixes } : {}),
        });
      }
    }
  },
};
