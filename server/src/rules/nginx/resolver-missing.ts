import { boundedRegExp } from '../../core/bounded-regexp';
import type { Related } from '../../core/findings';
import type { Rule } from '../../core/rule';
import type { NginxNode, NginxTree } from '../../model/nginx-tree';
import { forEachNginxNode } from '../../model/nginx-walk';
import type { PassKind } from '../../model/targets';
import type { WorkspaceModel } from '../../model/workspace';
import { readAddress, type Address } from '../../model/written-address';
import { lookupDirective } from './levels-and-edits';
import { insertBefore, isIpLiteral, rangeInArg, upstreamsVisibleFrom } from './pass-helpers';

export const rule: Rule = {
  id: 'nginx/resolver-missing',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'Host name resolved per request with no resolver',
  docs: `Flags a \`proxy_pass\`, \`fastcgi_pass\`, \`uwsgi_pass\` or \`grpc_pass\` whose target holds a variable and
so names its host only per request, with no \`resolver\` in force there (in the location, the server
or \`http\`; a location whose resolver may be set in a file the workspace does not hold is not judged).
It fires when the host is a name: written out (\`proxy_pass
https://api.example.com$request_uri\`), taken from the request (\`$host\`, \`$http_host\`, \`$http_*\`,
\`$arg_*\`, \`$cookie_*\`), or a variable that \`set\` or \`map\` gives a host name. It stays silent for
IP addresses, unix sockets, and values that name an \`upstream\` block: nginx looks a per-request host
up among the upstreams first, and resolves it only when none matches.

**At runtime:** nginx cannot read \`/etc/hosts\` or the system resolver per request; without a
\`resolver\` each such request logs \`no resolver defined to resolve api.example.com\` and gets a 502.

**What to change:** add a \`resolver\` (quick fix: \`originDoctor.nginx.resolver\`, by default
\`127.0.0.53 valid=30s\`, systemd-resolved's stub) to the server, or to \`http\` for every site; or
name an \`upstream\` block, or an IP address, in the variable's values.`,
  check(ctx) {
    const facts = new Map<NginxTree, TreeFacts>();
    for (const pass of ctx.model.origin.passes) {
      const resolverSet = lookupDirective(pass.node.parent, pass.tree, 'resolver');
      if (!pass.target.hasVariables || !resolverSet.known || resolverSet.node) continue;
      const address = pass.written;
      if (!address || isIpLiteral(address.host.text)) continue;
      let known = facts.get(pass.tree);
      if (!known) facts.set(pass.tree, (known = treeFacts(ctx.model, pass.tree)));
      const server = enclosing(pass.node, 'server');
      const cause = unresolvedHost(pass.kind, address, known, server);
      if (!cause) continue;
      const arg = pass.node.directive.args[0];
      const first = server?.directive.block?.children[0];
      const resolver = `resolver ${ctx.settings.nginx.resolver};`;
      ctx.report({
        file: pass.node.file.id,
        range: rangeInArg(pass.node.file, arg, address.host),
        message: `${cause.what} is resolved for each request, and no "resolver" is in force here: nginx logs "no resolver defined to resolve ${cause.host ?? '…'}" and answers 502. Add a resolver to the server (or http) block, e.g. "${resolver}".`,
        related: cause.related,
        fixes: server && first ? [{ title: `Add "${resolver}" to the server`, edits: [insertBefore(server.file, first, resolver)] }] : [],
      });
    }
  },
};

/** What nginx matches a per-request host against, and where variables get their values. */
interface TreeFacts {
  /** Lower-case names of `upstream` blocks. */
  upstreams: Set<string>;
  /** Lower-case hosts of passes without variables: nginx made an implicit upstream of each. */
  passedHosts: Set<string>;
  definitions: Map<string, Definition[]>;
}

function treeFacts(model: WorkspaceModel, tree: NginxTree): TreeFacts {
  const passes = model.origin.passes.filter((p) => p.tree === tree && !p.target.hasVariables);
  return {
    upstreams: new Set(upstreamsVisibleFrom(model.origin, tree).keys()),
    passedHosts: new Set(passes.flatMap((p) => p.target.host?.toLowerCase() ?? [])),
    definitions: variableDefinitions(model, tree),
  };
}

/** Where a variable gets its values: a `set`, a `map` entry, or something whose values we cannot list. */
interface Definition {
  /** The literal value; undefined when it holds variables or comes from another module. */
  value?: string;
  node: NginxNode;
  /** For `set`: its server. A value set there reaches passes of that server only (through rewrites too). */
  server?: NginxNode;
}

interface Cause {
  what: string;
  /** The host named in nginx's message, when known. */
  host?: string;
  related?: Related[];
}

/** Request data: any host a client sends. */
const REQUEST_VARIABLE = /^(host|http_\w+|arg_\w+|cookie_\w+)$/;
const ONE_VARIABLE = /^\$(?:\{(\w+)\}|(\w+))$/;
const ANY_VARIABLE = /\$(?:\{\w+\}|\w+)/;

function unresolvedHost(kind: PassKind, address: Address, facts: TreeFacts, server: NginxNode | undefined): Cause | undefined {
  const host = address.host.text;
  const lower = host.toLowerCase();
  if (!address.hostHasVariables) {
    return facts.upstreams.has(lower) || facts.passedHosts.has(lower) ? undefined : { what: `"${host}" in ${kind} with variables`, host };
  }
  const single = ONE_VARIABLE.exec(host);
  if (!single) return templateHost(host, kind, facts.upstreams);
  const name = single[1] ?? single[2];
  if (REQUEST_VARIABLE.test(name)) {
    // A client's host may name an upstream; when some upstream could be meant, the rule cannot tell.
    const couldMatch = name === 'host' || name === 'http_host' ? [...facts.upstreams].some((u) => u.includes('.')) : facts.upstreams.size > 0;
    return couldMatch ? undefined : { what: `"$${name}", a host the client chooses,` };
  }
  const definitions = (facts.definitions.get(name) ?? []).filter((d) => d.server === undefined || d.server === server);
  if (definitions.length === 0 || definitions.some((d) => d.value === undefined)) return undefined;
  for (const definition of definitions) {
    const value = readAddress(definition.value!);
    if (!value || value.host.text === '' || isIpLiteral(value.host.text) || facts.upstreams.has(value.host.text.toLowerCase())) continue;
    // fastcgi, uwsgi and grpc have no default port: without one, "no port in upstream" fails first.
    if (kind !== 'proxy_pass' && !value.port && !address.port) continue;
    return {
      what: `"$${name}", which can be "${definition.value}",`,
      host: value.host.text,
      related: [{ file: definition.node.file.id, range: definition.node.directive.range, message: `"$${name}" gets "${definition.value}" here` }],
    };
  }
  return undefined;
}

/** A host built of text and variables (`$service.internal`): a name, unless it may be an address or an upstream's name. */
function templateHost(host: string, kind: PassKind, upstreams: Set<string>): Cause | undefined {
  const parts = host.split(ANY_VARIABLE);
  if (host.startsWith('[') || !/[a-z]/i.test(parts.join(''))) return undefined;
  const pattern = boundedRegExp(`^${parts.map(escapeRegExp).join('.*')}$`, 'i');
  if ([...upstreams].some((name) => pattern.test(name))) return undefined;
  return { what: `"${host}" in ${kind}` };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The values each variable is given by `set` and `map` in the configuration nginx loads with this
 * tree. Any other module that defines a variable (`geo`, `split_clients`, `*_set`) makes its values
 * unknown.
 */
function variableDefinitions(model: WorkspaceModel, tree: NginxTree): Map<string, Definition[]> {
  const definitions = new Map<string, Definition[]>();
  const add = (variable: string | undefined, definition: Definition) => {
    const name = variable && /^\$(\w+)$/.exec(variable)?.[1];
    if (!name) return;
    const list = definitions.get(name) ?? [];
    list.push(definition);
    definitions.set(name, list);
  };
  const literal = (value: string | undefined) => (value === undefined || value.includes('$') ? undefined : value);
  forEachNginxNode(model, (node, from) => {
    if (from !== tree) return;
    const { name, argValues: values, block } = node.directive;
    if (node.context.block === 'raw') return;
    if (name === 'set') add(values[0], { value: literal(values[1]), node, server: enclosing(node, 'server') });
    // perl_set, js_set, set_by_lua…: values computed by code.
    else if (/(^|_)set(_|$)/.test(name)) add(values[0], { node });
    else if (name === 'map' && block) {
      for (const entry of node.children) {
        if (entry.directive.name === 'include') add(values[1], { node: entry });
        else if (entry.directive.argValues.length > 0) add(values[1], { value: literal(entry.directive.argValues[0]), node: entry });
      }
    } else if (block) add(values[values.length - 1], { node });
  });
  return definitions;
}

/** The innermost enclosing block named `name`, if any. */
function enclosing(node: NginxNode, name: string): NginxNode | undefined {
  for (let level = node.parent; level; level = level.parent) if (level.directive.name === name) return level;
  return undefined;
}
