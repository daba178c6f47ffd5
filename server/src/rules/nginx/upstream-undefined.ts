import type { Related, Severity } from '../../core/findings';
import type { Rule } from '../../core/rule';
import { NearestNames } from '../../core/suggest';
import type { NginxTree } from '../../model/nginx-tree';
import type { NginxPass, NginxUpstream, OriginModel } from '../../model/origin';
import type { Address } from '../../model/written-address';
import { readsNothing } from './levels-and-edits';
import { isIpLiteral, rangeInArg, replaceInArg, upstreamsVisibleFrom } from './pass-helpers';

/** Passes without a default port: their target is an upstream block's name or needs `:port`. */
const PORTLESS = new Set<NginxPass['kind']>(['fastcgi_pass', 'uwsgi_pass', 'grpc_pass']);

/** Docker's embedded DNS: a config that uses it runs in a container, where service names resolve. */
const DOCKER_RESOLVER = /^127\.0\.0\.11(:\d+)?$/;

export const rule: Rule = {
  id: 'nginx/upstream-undefined',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'Pass to an upstream that is not defined',
  docs: `Flags a \`proxy_pass\`, \`fastcgi_pass\`, \`uwsgi_pass\` or \`grpc_pass\` (without variables) whose target
nginx cannot use:

* a single-label name (\`http://bakend\`) that is no \`upstream\` block of the configuration — nginx
  then resolves it as a host name at start, and where it does not resolve \`nginx -t\` fails with
  \`host not found in upstream "bakend"\`;
* the name of an \`upstream\` block with a port (\`http://backend:8080\`): \`upstream "backend" may not
  have port 8080\`;
* a \`fastcgi_pass\`, \`uwsgi_pass\` or \`grpc_pass\` without a port that names no upstream block:
  \`no port in upstream "php"\`.

Upstream blocks count wherever they are in the files nginx loads together (any included file), and
their names match case-insensitively as in nginx. A name with a port (\`app:3000\`), or in a
configuration that uses Docker's resolver \`127.0.0.11\` or is a \`.template\`, is most likely a Docker
Compose service or container name that does resolve there: that is only information. Where
upstreams may be defined out of view — a snippet whose main config is not in the workspace, an
\`include\` in \`http\` that reads no file here — only a near miss of an upstream in view is reported,
as a warning.

**At runtime:** \`nginx -t\` fails and the configuration is not loaded: a reload keeps the old one, a
fresh start leaves the origin down and every request gets a 502.

**What to change:** take the suggested upstream name (quick fix), define the \`upstream\` block, or
write the backend's address with its port. Names are suggested for the first 1,000 names of a configuration
that match no upstream.`,
  check(ctx) {
    const views = new Map<NginxTree, UpstreamsInView>();
    for (const pass of ctx.model.origin.passes) {
      if (pass.target.hasVariables) continue;
      const address = pass.written;
      if (!address) continue;
      let view = views.get(pass.tree);
      if (!view) views.set(pass.tree, (view = new UpstreamsInView(ctx.model.origin, pass.tree)));
      const finding = diagnose(pass, address, view);
      if (!finding) continue;
      const arg = pass.node.directive.args[0];
      // A suggested upstream takes the place of name and port: an upstream name may not have a port.
      const nameAndPort = { start: address.host.start, end: (address.port ?? address.host).end };
      ctx.report({
        file: pass.node.file.id,
        range: rangeInArg(pass.node.file, arg, finding.coversPort ? nameAndPort : address.host),
        severity: finding.severity,
        message: finding.message,
        related: finding.related,
        fixes: finding.replacements.map((name) => ({
          title: finding.coversPort ? `Drop ":${address.port!.text}"` : `Change to "${name}"`,
          edits: [replaceInArg(pass.node, arg, nameAndPort, name)],
          // Safe to apply unasked only when one name is nearest.
          ...(finding.replacements.length === 1 ? { isPreferred: true } : {}),
        })),
      });
    }
  },
};

interface Diagnosis {
  severity: Severity;
  message: string;
  /** The port is the mistake, not the name. */
  coversPort?: boolean;
  /** What the fixes write in place of name and port. */
  replacements: string[];
  related?: Related[];
}

/** What one configuration's passes are judged against, worked out once for all of them. */
class UpstreamsInView {
  readonly byName: Map<string, NginxUpstream>;
  /** Upstreams may be defined out of view: a snippet whose main config is not in view, or an include in http that reads nothing. */
  readonly partial: boolean;
  /** The upstream names nearest to a name that matches none. */
  readonly guesses: NearestNames;

  constructor(origin: OriginModel, tree: NginxTree) {
    this.byName = upstreamsVisibleFrom(origin, tree);
    const names = [...this.byName.values()].map((u) => u.name);
    this.guesses = new NearestNames(() => names);
    this.partial = tree.inferred || tree.includes.some((i) => i.node.context.block === 'http' && readsNothing(i));
  }
}

function diagnose(pass: NginxPass, address: Address, view: UpstreamsInView): Diagnosis | undefined {
  const host = address.host.text;
  const upstream = view.byName.get(host.toLowerCase());
  if (upstream) {
    if (!address.port) return undefined;
    return {
      severity: 'error',
      message: `nginx -t fails: upstream "${upstream.name}" may not have port ${address.port.text}. The configuration is not loaded (502 on a fresh start); drop the port, the upstream's servers carry theirs.`,
      coversPort: true,
      replacements: [host],
      related: [{ file: upstream.node.file.id, range: upstream.node.directive.args[0].range, message: `upstream "${upstream.name}" is defined here` }],
    };
  }
  if (host === '') return undefined;
  const portless = PORTLESS.has(pass.kind) && !address.port;
  // A name with a dot is a host name to resolve: nothing to guess.
  if (!portless && !isSingleLabel(host)) return undefined;
  const near = view.guesses.of(host);
  const guess = near.length > 0 ? ` Did you mean "${near[0]}"?` : '';
  // Where upstreams may be defined out of view, only a near miss of one in view is worth a word.
  const unsure = view.partial ? (near.length > 0 ? 'warning' : undefined) : 'error';
  const where = view.partial ? ' in the files in view' : '';
  if (portless) {
    return unsure && {
      severity: unsure,
      message: `nginx -t fails: no port in upstream "${host}". ${pass.kind} has no default port, and no upstream block${where} is named "${host}"; the configuration is not loaded (502 on a fresh start).${guess}`,
      replacements: near,
    };
  }
  if (address.port || runsInDocker(pass)) {
    return {
      severity: 'information',
      message: `"${host}" names no upstream block, so nginx resolves it as a host name at start: right for a Docker Compose service or container name; anywhere it does not resolve, nginx -t fails with host not found in upstream "${host}".${guess}`,
      replacements: near,
    };
  }
  return unsure && {
    severity: unsure,
    message: `No upstream block${where} is named "${host}", so nginx resolves it as a host name at start; where it does not resolve, nginx -t fails with host not found in upstream "${host}" and the configuration is not loaded (502 on a fresh start).${guess}`,
    replacements: near,
  };
}

/** Names a host-name lookup at start will not find on an ordinary server: no dot, not an address, not localhost. */
function isSingleLabel(host: string): boolean {
  return !host.includes('.') && !isIpLiteral(host) && host.toLowerCase() !== 'localhost' && !/^\d+$/.test(host);
}

/** Docker's embedded DNS as the resolver, or a template of the official image: service names resolve there. */
function runsInDocker(pass: NginxPass): boolean {
  const resolver = pass.effective('resolver');
  return pass.node.file.id.endsWith('.template') || (resolver?.directive.argValues.some((value) => DOCKER_RESOLVER.test(value)) ?? false);
}
