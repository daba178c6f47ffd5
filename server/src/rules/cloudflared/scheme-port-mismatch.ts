import type { Rule } from '../../core/rule';
import { replaceInValue } from './lib/edits';
import { decodesAsRule } from './lib/ingress-rules';
import { serviceOf } from './lib/services';

/** The scheme that speaks plain HTTP and the one that speaks TLS, by the port written with the other (a Map: schemes are typed). */
const SWAPS: ReadonlyMap<string, { port: string; other: string }> = new Map([
  ['http', { port: '443', other: 'https' }],
  ['ws', { port: '443', other: 'wss' }],
  ['https', { port: '80', other: 'http' }],
  ['wss', { port: '80', other: 'ws' }],
]);

export const rule: Rule = {
  id: 'cloudflared/scheme-port-mismatch',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'The service speaks plain HTTP to port 443, or TLS to port 80',
  docs: `Reports an ingress \`service\` whose scheme and port disagree: \`http://…:443\` (or \`ws://…:443\`) and
\`https://…:80\` (or \`wss://…:80\`).

**At runtime:** cloudflared starts, and each request fails at the origin. With \`https://…:80\` cloudflared opens
a TLS handshake with a server that speaks plain HTTP: \`tls: first record does not look like a TLS handshake\`, and
the visitor gets 502 Bad Gateway. With \`http://…:443\` it sends plain HTTP to a server that expects TLS, which
closes the connection (502) or answers 400 \`The plain HTTP request was sent to HTTPS port\` (nginx).

**What to change:** use the scheme the port serves: \`https://\` for 443, \`http://\` for 80 (and when the origin
speaks HTTPS with a certificate for another name, set \`originRequest.originServerName\`). The quick fix swaps the
scheme.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { config } = file.parse;
      for (const rule of config.ingress) {
        const service = decodesAsRule(config, rule) ? serviceOf(file, config, rule) : undefined;
        const swap = service?.kind === 'url' ? SWAPS.get(service.url.scheme) : undefined;
        if (!rule.service || service?.kind !== 'url' || !swap || service.url.port !== swap.port) continue;
        const { scheme, port } = service.url;
        const edit = replaceInValue(file, rule.service, 0, scheme.length, swap.other);
        const tls = scheme === 'https' || scheme === 'wss';
        ctx.report({
          file: file.id,
          range: rule.service.valueRange,
          message: tls
            ? `${service.text} opens a TLS handshake with port ${port}, where origins speak plain HTTP: the handshake fails and visitors get 502 Bad Gateway`
            : `${service.text} sends plain HTTP to port ${port}, where origins expect TLS: the origin closes the connection (502 Bad Gateway) or answers 400`,
          ...(edit ? { fixes: [{ title: `Change the scheme to \`${swap.other}://\``, isPreferred: true, edits: [edit] }] } : {}),
        });
      }
    }
  },
};
