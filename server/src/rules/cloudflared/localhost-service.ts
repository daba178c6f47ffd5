import type { Rule } from '../../core/rule';
import { replaceInValue } from './lib/edits';
import { decodesAsRule } from './lib/ingress-rules';
import { serviceOf } from './lib/services';

export const rule: Rule = {
  id: 'cloudflared/localhost-service',
  format: 'cloudflared',
  defaultSeverity: 'warning',
  title: 'The service names localhost, which cloudflared may resolve to ::1',
  docs: `Reports an ingress \`service\` whose host is \`localhost\` (\`http://localhost:8080\`, \`tcp://localhost:5432\`).

**At runtime:** cloudflared resolves \`localhost\` itself. Go gets \`::1\` (IPv6) as well as \`127.0.0.1\`, and on some
systems (Windows among them) \`::1\` alone, and dials \`[::1]\` first. An origin that listens on \`127.0.0.1\` only
(a common default: \`listen 127.0.0.1:8080\`, \`--host 127.0.0.1\`) refuses that connection; where no IPv4 address is
tried, every request fails with \`dial tcp [::1]:8080: connect: connection refused\` and visitors get 502 Bad Gateway.
Elsewhere each new connection pays for the failed attempt first.

**What to change:** write the address the origin listens on: \`127.0.0.1\`, or \`[::1]\` for an IPv6 listener. The
quick fix writes \`127.0.0.1\`; for \`https://\` it is not offered, because the name cloudflared checks the
certificate against would change too (set \`originRequest.originServerName: localhost\` along with it).`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { config } = file.parse;
      for (const rule of config.ingress) {
        const service = decodesAsRule(config, rule) ? serviceOf(file, config, rule) : undefined;
        if (!rule.service || service?.kind !== 'url' || service.url.hostname.toLowerCase() !== 'localhost') continue;
        const { url } = service;
        const tls = url.scheme === 'https' || url.scheme === 'wss';
        const edit = tls ? undefined : replaceInValue(file, rule.service, url.hostnameStart, url.hostnameEnd, '127.0.0.1');
        ctx.report({
          file: file.id,
          range: rule.service.valueRange,
          message: `cloudflared resolves "localhost" itself and may dial [::1] first or only; an origin that listens on 127.0.0.1 ` +
            `alone then refuses it ("dial tcp [::1]:${url.port || defaultPort(url.scheme)}: connect: connection refused") and ` +
            'visitors get 502 Bad Gateway. Write 127.0.0.1',
          ...(edit ? { fixes: [{ title: 'Change localhost to 127.0.0.1', isPreferred: true, edits: [edit] }] } : {}),
        });
      }
    }
  },
};

/** The port cloudflared dials when the service names none (`addPortIfMissing` and Go's HTTP defaults). */
function defaultPort(scheme: string): string {
  return { http: '80', ws: '80', https: '443', wss: '443', ssh: '22', rdp: '3389', smb: '445', tcp: '7864' }[scheme] ?? '…';
}
