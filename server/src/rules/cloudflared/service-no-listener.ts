import type { Fix } from '../../core/findings';
import { listSome, MAX_LISTED } from '../../core/listing';
import type { Rule } from '../../core/rule';
import { allServers, distinctByPlace, listenPlace, listensAt, listenText, passesToListenerAt, serverListens, type IngressRoute, type NginxListen } from '../../model/origin';
import { hostPort, isLocalEndpoint, isLocalHost, type Endpoint, type ServiceTarget } from '../../model/targets';

export const rule: Rule = {
  id: 'cloudflared/service-no-listener',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'Tunnel service on this machine where no nginx listens',
  docs: `Flags an ingress \`service\` on this machine (\`http://localhost:8080\`, \`https://127.0.0.1\`,
\`unix:/run/nginx.sock\`) when the workspace holds nginx servers and none of their \`listen\`s (address and port)
accepts the connection. A server without \`listen\` counts as nginx's default \`*:80\` (nginx started as root;
unprivileged it would be \`*:8000\`). \`stream\` servers count too; HTTP/3 (\`quic\`) listens do not, being UDP.

Stays silent for services on other hosts (\`http://nginx:80\` in a container network, another machine), when
the workspace holds no nginx server, and when nginx itself proxies to that address (an app server the tunnel
also reaches directly): what listens there is not in the workspace.

**At runtime:** cloudflared logs \`dial tcp 127.0.0.1:8080: connect: connection refused\` ("Unable to reach the
origin service") and answers **502 Bad Gateway** to every request the rule routes.

**What to change:** point the service at a port nginx listens on (the quick fixes offer each, up to ten), or add the
\`listen\` to nginx. If nginx runs in a container that publishes the port under another number, this rule
cannot see the mapping; silence it for that line.`,
  check(ctx) {
    const { origin } = ctx.model;
    // Typing in nginx re-runs this rule: with no local service to check, the servers need not be looked at.
    const local = origin.ingress.filter((route) => route.target && route.serviceRange && isLocalEndpoint(route.target.endpoint));
    if (local.length === 0) return;
    const listens = distinctByPlace(origin.servers.flatMap(serverListens).filter((l) => !l.quic), listenPlace);
    if (listens.length === 0) return;
    for (const route of local) {
      const target = route.target!;
      if (listensAt(allServers(origin), target.endpoint).length > 0) continue;
      // nginx itself proxies to that address: a backend the workspace knows of listens there (an app server).
      if (passesToListenerAt(origin, target.endpoint)) continue;
      ctx.report({
        file: route.file.id,
        range: route.serviceRange!,
        message: `No nginx server of this workspace listens on ${where(target.endpoint)}: cloudflared logs `
          + `"${dialError(target.endpoint)}" and answers 502 to ${route.hostname ? `every request for ${route.hostname}` : 'every request this rule catches'}. `
          + `nginx listens on ${listSome(listens, describeListen)}.`,
        related: listens.slice(0, MAX_LISTED).map((listen) => ({ ...listenPlace(listen), message: `nginx listens on ${describeListen(listen)}` })),
        fixes: fixes(route, target, listens),
      });
    }
  },
};

function where(endpoint: Endpoint): string {
  return endpoint.kind === 'unix' ? `unix:${endpoint.path}` : `port ${endpoint.port} of ${endpoint.host}`;
}

function dialError(endpoint: Endpoint): string {
  return endpoint.kind === 'unix'
    ? `dial unix ${endpoint.path}: connect: no such file or directory`
    : `dial tcp ${hostPort(endpoint.host, endpoint.port)}: connect: connection refused`;
}

function describeListen(listen: NginxListen): string {
  return `${listenText(listen)}${listen.implicit ? " (nginx's default for a server without listen)" : ''}`;
}

/** One fix per distinct service that would reach an nginx listen, keeping the host as written where the listen allows. */
function fixes(route: IngressRoute, target: ServiceTarget, listens: NginxListen[]): Fix[] {
  const distinct = new Set<string>();
  for (let i = 0; i < listens.length && distinct.size < MAX_LISTED; i++) distinct.add(serviceFor(target, listens[i]));
  const services = [...distinct];
  return services.map((service) => ({
    title: `Send to ${service}`,
    edits: [{ file: route.file.id, range: route.serviceRange!, newText: service }],
    ...(services.length === 1 ? { isPreferred: true } : {}),
  }));
}

function serviceFor(target: ServiceTarget, listen: NginxListen): string {
  const { endpoint } = listen;
  if (endpoint.kind === 'unix') return `${listen.ssl ? 'unix+tls' : 'unix'}:${endpoint.path}`;
  const scheme = listen.ssl ? 'https' : 'http';
  const written = target.endpoint.kind === 'tcp' ? target.endpoint.host : 'localhost';
  const host = isLocalHost(endpoint.host) ? written : endpoint.host;
  return `${scheme}://${hostPort(host, endpoint.port)}`;
}
