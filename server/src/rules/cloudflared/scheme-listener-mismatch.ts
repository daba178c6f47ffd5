import type { Related } from '../../core/findings';
import { MAX_LISTED } from '../../core/listing';
import type { Rule } from '../../core/rule';
import { distinctByPlace, listenPlace, listensAt, type OriginModel } from '../../model/origin';
import { hostPort, type ServiceTarget } from '../../model/targets';

/** The scheme that speaks the other protocol to the same place. */
const SWAPPED: Record<string, string> = { http: 'https', https: 'http', ws: 'wss', wss: 'ws', unix: 'unix+tls', 'unix+tls': 'unix' };

export const rule: Rule = {
  id: 'cloudflared/scheme-listener-mismatch',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: "Tunnel service speaks TLS where nginx doesn't, or plain HTTP where it does",
  docs: `Flags an ingress \`service\` with \`https://\` (or \`wss://\`, \`unix+tls:\`) whose nginx \`listen\` has no
\`ssl\`, and one with \`http://\` (or \`ws://\`, \`unix:\`) whose nginx \`listen\` has \`ssl\` (a server's old
\`ssl on\` counts). Only when every nginx listen the service reaches agrees, and none is a \`stream\` server
(which may pass TLS through untouched).

**At runtime:** with \`https://\` to a plain listen, the TLS handshake fails (cloudflared logs \`tls: first record
does not look like a TLS handshake\`) and cloudflared answers **502 Bad Gateway**. With \`http://\` to an \`ssl\`
listen, nginx answers every request with \`400 The plain HTTP request was sent to HTTPS port\`.

**What to change:** swap the scheme (quick fix; the port is then written out, since each scheme has its own
default). When switching to \`https://\` on \`localhost\`, cloudflared verifies nginx's certificate against
\`localhost\`: set \`originRequest.originServerName\` to a name on the certificate, or \`noTLSVerify: true\`.`,
  check(ctx) {
    const { origin } = ctx.model;
    // Many routes may reach one listener (a server per site, all on one port): each place is judged once.
    const judged = new Map<string, Related[] | undefined>();
    for (const route of origin.ingress) {
      const target = route.target;
      if (!target || !route.serviceRange) continue;
      // https on 80 and http on 443 are cloudflared/scheme-port-mismatch's to report, once.
      if (target.endpoint.kind === 'tcp' && target.endpoint.port === (target.tls ? 80 : 443)) continue;
      const { endpoint } = target;
      const key = `${target.tls} ${endpoint.kind === 'tcp' ? `${endpoint.host} ${endpoint.port}` : endpoint.path}`;
      if (!judged.has(key)) judged.set(key, mismatchedListens(origin, target));
      const related = judged.get(key);
      if (!related) continue;
      const swapped = swapScheme(target);
      ctx.report({
        file: route.file.id,
        range: route.serviceRange,
        message: target.tls
          ? `${route.service} speaks TLS, but nginx's listen there has no ssl: the handshake fails (cloudflared logs "tls: first record does not look like a TLS handshake") and cloudflared answers 502.`
          : `${route.service} speaks plain HTTP, but nginx's listen there has ssl: nginx answers every request with "400 The plain HTTP request was sent to HTTPS port".`,
        related,
        fixes: [{ title: `Change to ${swapped}`, edits: [{ file: route.file.id, range: route.serviceRange, newText: swapped }], isPreferred: true }],
      });
    }
  },
};

/** Where every nginx listen `target` reaches speaks the other protocol: the first of them, to name; else undefined. */
function mismatchedListens(origin: OriginModel, target: ServiceTarget): Related[] | undefined {
  if (listensAt(origin.streamServers, target.endpoint).length > 0) return undefined;
  const reached = distinctByPlace(listensAt(origin.servers, target.endpoint).map(({ listen }) => listen), listenPlace);
  if (reached.length === 0 || !reached.every((listen) => listen.ssl !== target.tls)) return undefined;
  return reached.slice(0, MAX_LISTED).map((listen) => ({ ...listenPlace(listen), message: listen.ssl ? 'nginx listens with ssl here' : 'nginx listens without ssl here' }));
}

/** The same place in the other protocol, with the port written out because the schemes' defaults differ. */
function swapScheme(target: ServiceTarget): string {
  const scheme = SWAPPED[target.scheme];
  const { endpoint } = target;
  if (endpoint.kind === 'unix') return `${scheme}:${endpoint.path}`;
  return `${scheme}://${hostPort(endpoint.host, endpoint.port)}`;
}
