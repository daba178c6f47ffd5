import type { Fix, Related } from '../../core/findings';
import { listSome, MAX_LISTED } from '../../core/listing';
import type { Rule } from '../../core/rule';
import type { NginxUpstream } from '../../model/origin';
import { rangeInArg, replaceInArg } from './pass-helpers';

/** Each scheme's counterpart, and whether it speaks TLS. */
const SCHEMES = new Map<string, { swap: string; tls: boolean }>([
  ['http', { swap: 'https', tls: false }],
  ['https', { swap: 'http', tls: true }],
  ['grpc', { swap: 'grpcs', tls: false }],
  ['grpcs', { swap: 'grpc', tls: true }],
]);

/** The port that speaks the other protocol: plain HTTP on 80, TLS on 443. */
const WRONG_PORT = { tls: 80, plain: 443 };

export const rule: Rule = {
  id: 'nginx/scheme-port-mismatch',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'TLS to port 80, or plain HTTP to port 443',
  docs: `Flags \`proxy_pass https://…:80\` and \`proxy_pass http://…:443\` (and \`grpc_pass\` with \`grpcs\`/\`grpc\`),
and the same through an \`upstream\` whose servers use that port. An upstream \`server\` written
without a port means port 80, whatever the scheme of \`proxy_pass\`.

**At runtime:**
* TLS to port 80 meets a plain HTTP server: the handshake fails with \`SSL_do_handshake() failed
  (SSL: error:0A00010B:SSL routines::wrong version number)\` and nginx answers 502.
* Plain HTTP to port 443 meets a TLS server: an nginx backend answers 400 \`The plain HTTP request was
  sent to HTTPS port\`; other TLS servers close or reset the connection, and nginx answers 502
  (\`upstream prematurely closed connection\`, \`Connection reset by peer\`).

**What to change:** use the scheme the port speaks (quick fix: swap \`https\` and \`http\`), or the
port the scheme needs — for an upstream server without a port, add \`:443\`.`,
  check(ctx) {
    // Many passes may name one upstream: its servers on the wrong port are worked out once for all of them.
    const onWrongPort = new Map<NginxUpstream, Map<number, WrongPortServers | undefined>>();
    const wrongPortServers = (upstream: NginxUpstream, port: number) => {
      let byPort = onWrongPort.get(upstream);
      if (!byPort) onWrongPort.set(upstream, (byPort = new Map()));
      if (!byPort.has(port)) byPort.set(port, serversOnPort(upstream, port));
      return byPort.get(port);
    };
    for (const pass of ctx.model.origin.passes) {
      // The target's scheme first: passes without one need not have their written parts read.
      const scheme = pass.target.scheme === undefined ? undefined : SCHEMES.get(pass.target.scheme);
      if (!scheme) continue;
      const address = pass.written;
      if (!address?.scheme) continue;
      const wrongPort = scheme.tls ? WRONG_PORT.tls : WRONG_PORT.plain;
      const direct = address.portNumber === wrongPort;
      const upstream = pass.upstream;
      const mismatched = upstream ? wrongPortServers(upstream, wrongPort) : undefined;
      // Most passes are fine: the message and its edits are written only for those that are not.
      if (!direct && !mismatched) continue;
      const arg = pass.node.directive.args[0];
      const speaks = `${pass.kind} speaks ${scheme.tls ? 'TLS' : 'plain HTTP'} (${address.scheme.text}://)`;
      const outcome = scheme.tls
        ? `the TLS handshake meets plain HTTP and fails ("SSL_do_handshake() failed … wrong version number"), so nginx answers 502. Use ${scheme.swap}:// for port 80, or the backend's TLS port.`
        : `a TLS server there answers 400 "The plain HTTP request was sent to HTTPS port" (nginx) or closes the connection, which nginx answers with 502. Use ${scheme.swap}:// for port 443.`;
      const swap: Fix = { title: `Use ${scheme.swap}://`, edits: [replaceInArg(pass.node, arg, address.scheme, scheme.swap)] };
      const range = rangeInArg(pass.node.file, arg, { start: 0, end: (address.port ?? address.host).end });
      // A pass names an upstream block only when written without a port: here it is `direct`.
      if (!upstream || !mismatched) {
        ctx.report({ file: pass.node.file.id, range, message: `${speaks} to port ${wrongPort}: ${outcome}`, fixes: [{ ...swap, isPreferred: true }] });
        continue;
      }
      const fixes: Fix[] = [];
      // Port 443 for servers written without one: what https:// to them means.
      if (scheme.tls && mismatched.addPort443) fixes.push(mismatched.addPort443);
      // Swapping the scheme suits only when every server is on the other protocol's port.
      if (mismatched.all) fixes.push(swap);
      ctx.report({
        file: pass.node.file.id,
        range,
        message: `${speaks} to upstream "${upstream.name}", where ${mismatched.listed}: ${outcome}`,
        related: mismatched.related,
        fixes,
      });
    }
  },
};

type UpstreamServer = NginxUpstream['servers'][number];

function isLiveTcp(server: UpstreamServer): boolean {
  return !server.down && server.endpoint.kind === 'tcp';
}

/** An upstream's live servers on a port that does not speak the pass's scheme: shared by every pass to it. */
interface WrongPortServers {
  /** `a, b and 3 more are on port 443`, with a note where a server has no port of its own. */
  listed: string;
  related: Related[];
  /** Writes `:443` after each of them, where none writes a port (undefined otherwise). */
  addPort443?: Fix;
  /** Every live TCP server of the upstream is on that port. */
  all: boolean;
}

/** The upstream's servers (not `down`) on `port`; undefined when none is. */
function serversOnPort(upstream: NginxUpstream, port: number): WrongPortServers | undefined {
  const servers = upstream.servers.filter((server) => isLiveTcp(server) && server.endpoint.kind === 'tcp' && server.endpoint.port === port && server.written);
  if (servers.length === 0) return undefined;
  const portless = servers.filter((server) => server.written!.port === undefined);
  const implicit = portless.length > 0 ? ' (an upstream server without a port means port 80)' : '';
  return {
    listed: `${listSome(servers, (server) => server.address)} ${servers.length > 1 ? 'are' : 'is'} on port ${port}${implicit}`,
    related: servers.slice(0, MAX_LISTED).map((server) => ({ file: server.node.file.id, range: server.node.directive.range, message: `${server.address} is on port ${port}` })),
    addPort443: portless.length === servers.length ? {
      title: 'Add :443 to the upstream servers',
      isPreferred: true,
      edits: servers.map((server) => {
        const hostEnd = { start: server.written!.host.end, end: server.written!.host.end };
        return replaceInArg(server.node, server.node.directive.args[0], hostEnd, ':443');
      }),
    } : undefined,
    all: servers.length === upstream.servers.filter(isLiveTcp).length,
  };
}
