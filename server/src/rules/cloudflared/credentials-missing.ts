import type { Rule } from '../../core/rule';
import { entrySpan } from './lib/edits';
import { goString } from './lib/go-yaml';

/** The keys that give a tunnel its credentials; any one of them will do. */
const CREDENTIAL_KEYS = ['credentials-file', 'credentials-contents', 'token', 'token-file'];

export const rule: Rule = {
  id: 'cloudflared/credentials-missing',
  format: 'cloudflared',
  defaultSeverity: 'warning',
  title: 'A tunnel without credentials-file',
  docs: `Reports a config that names a \`tunnel\` but has none of \`credentials-file\`, \`credentials-contents\`,
\`token\` or \`token-file\`.

**At runtime:** cloudflared then looks for \`<tunnel-UUID>.json\` next to the \`origincert\` and in
\`~/.cloudflared\`, \`~/.cloudflare-warp\`, \`~/cloudflare-warp\`, \`/etc/cloudflared\` and \`/usr/local/etc/cloudflared\`,
where \`~\` is the home of the user it runs as. \`cloudflared tunnel create\` wrote the file to the home of the user
who ran it; a service running as root or as a \`cloudflared\` user does not find it and stops with
\`tunnel credentials file not found\`. No connector comes up, and Cloudflare answers the tunnel's hostnames with an
error page.

**What to change:** add \`credentials-file:\` with the absolute path of the JSON file, readable by the user the
service runs as (for example \`/etc/cloudflared/<tunnel-UUID>.json\`), or run the tunnel with a token.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { topLevel } = file.parse.config;
      const tunnel = topLevel.find((e) => e.key === 'tunnel');
      if (!tunnel || !goString(file, tunnel) || topLevel.some((e) => CREDENTIAL_KEYS.includes(e.key))) continue;
      ctx.report({
        file: file.id,
        range: entrySpan(tunnel),
        message: 'The tunnel has no credentials-file: cloudflared looks for <tunnel-UUID>.json in the home of the user it runs as ' +
          'and in /etc/cloudflared, and a service that runs as another user than `cloudflared tunnel create` stops with ' +
          '"tunnel credentials file not found". Add credentials-file with the absolute path of the JSON file',
      });
    }
  },
};
