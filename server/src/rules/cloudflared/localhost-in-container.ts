import { posix } from 'node:path';
import type { Fix } from '../../core/findings';
import type { Rule } from '../../core/rule';
import type { IngressRoute } from '../../model/origin';
import { isLocalHost } from '../../model/targets';
import type { ParsedFile } from '../../model/workspace';
import type { ComposeFile, ComposeService } from '../../parsers/compose/parser';

export const rule: Rule = {
  id: 'cloudflared/localhost-in-container',
  format: 'cloudflared',
  defaultSeverity: 'warning',
  title: 'Tunnel in a container sends traffic to its own localhost',
  docs: `Flags a \`service\` on \`localhost\`, \`127.0.0.1\` or \`[::1]\` when a Docker Compose file of the workspace runs
cloudflared as a service (image \`cloudflare/cloudflared\`, or a command with \`tunnel … run\`) and mounts this
config into it.

**At runtime:** inside the container, \`localhost\` is the cloudflared container itself, not the host and not
the web server's container. Nothing listens there: cloudflared logs "Unable to reach the origin service …
connect: connection refused" and answers **502 Bad Gateway** (the seed's "Docker network isolation").

**What to change:** address the web server by its compose service name and container port, e.g.
\`http://web:80\`. The quick fix offers the service that publishes the port the URL names (its \`ports\`
mapping gives the container port).`,
  check(ctx) {
    for (const route of ctx.model.origin.ingress) {
      const { target, serviceRange } = route;
      if (!target || !serviceRange || target.endpoint.kind !== 'tcp' || !isLocalHost(target.endpoint.host) || target.endpoint.host === '') continue;
      const compose = ctx.model.compose.find((file) => runningCloudflared(file, route.file.id));
      if (!compose) continue;
      const port = target.endpoint.port;
      ctx.report({
        file: route.file.id,
        range: serviceRange,
        message: `${route.service} points at the cloudflared container itself: ${posix.basename(compose.id)} runs cloudflared with this config, and inside its container nothing listens on ${target.endpoint.host}:${port}, so every request gets 502. Use the web server's compose service name instead.`,
        related: [{ file: compose.id, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'cloudflared runs in a container here' }],
        fixes: fixes(route, compose.parse.services, port, target.scheme),
      });
    }
  },
};

/** The compose file, if any, that runs cloudflared with `configFile` mounted (the file or its folder). */
function runningCloudflared(compose: ParsedFile<ComposeFile>, configFile: string): ComposeService | undefined {
  const dir = posix.dirname(compose.id);
  return compose.parse.services.find((service) => {
    const runsTunnel = /cloudflare\/cloudflared/.test(service.image ?? '') || /\btunnel\b.*\brun\b/.test(service.command ?? '');
    if (!runsTunnel) return false;
    return service.volumes.some(({ source }) => {
      if (!source.startsWith('.') && !source.startsWith('/')) return false; // a named volume: its content is not in the workspace
      const mounted = posix.resolve(dir, source);
      return configFile === mounted || configFile.startsWith(`${mounted}/`);
    });
  });
}

function fixes(route: IngressRoute, services: ComposeService[], port: number, scheme: string): Fix[] | undefined {
  const publishers = services.flatMap((service) => service.ports.filter((p) => p.host === port).map((p) => `${scheme}://${service.name}:${p.container}`));
  return publishers.map((service, i) => ({
    title: `Change to ${service}`,
    edits: [{ file: route.file.id, range: route.serviceRange!, newText: service }],
    ...(i === 0 && publishers.length === 1 ? { isPreferred: true } : {}),
  }));
}
