import type { Fix } from '../../core/findings';
import type { Rule } from '../../core/rule';
import { closest } from '../../core/suggest';
import type { ParsedFile } from '../../model/workspace';
import type { CloudflaredEntry } from '../../parsers/cloudflared/ast';
import { replaceInValue } from './lib/edits';
import { decodesAsRule } from './lib/ingress-rules';
import { serviceOf, type ServiceProblem } from './lib/services';

/** Services that are a word, not a URL. */
const BUILT_IN_SERVICES = ['hello_world', 'bastion', 'socks-proxy'];

export const rule: Rule = {
  id: 'cloudflared/invalid-service',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'The service of an ingress rule is not one cloudflared accepts',
  docs: `Reports an ingress rule whose \`service\` cloudflared refuses, or that has no \`service\` at all. cloudflared
accepts:

- a URL with a scheme and a host and nothing after them: \`http://127.0.0.1:8080\`, \`https://app.internal\`,
  \`ws://…\`, \`wss://…\`, \`tcp://…\`, \`ssh://…\`, \`rdp://…\`, \`smb://…\`;
- \`unix:/path/to/socket\` (HTTP) and \`unix+tls:/path/to/socket\` (HTTPS);
- \`http_status:NNN\` with a status code from 100 to 999;
- \`hello_world\`, \`bastion\` and \`socks-proxy\` (and any service when \`originRequest: { bastionMode: true }\`).

**At runtime:** cloudflared checks every rule when it starts and refuses the whole config at the first bad service,
with messages such as \`localhost:8000 is an invalid address, please make sure it has a scheme and a hostname\` or
\`… ingress rules don't support proxying to a different path on the origin service\`. No connector comes up, and
Cloudflare answers every hostname of the tunnel with an error page.

**What to change:** write the scheme (\`http://localhost:8000\`, not \`localhost:8000\`). Drop any path, even a lone
\`/\`: cloudflared forwards the visitor's path as it is, and a rule's \`path:\` key chooses which requests the rule
takes. The quick fixes add \`http://\` and remove the path.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { config } = file.parse;
      for (const rule of config.ingress) {
        const service = decodesAsRule(config, rule) ? serviceOf(file, config, rule) : undefined;
        if (service?.kind !== 'invalid') continue;
        const entry = rule.service;
        if (!entry) {
          ctx.report({
            file: file.id,
            range: rule.range.start.line === rule.range.end.line ? rule.range : { start: rule.range.start, end: rule.entries[0].keyRange.end },
            message: `Rule #${rule.index + 1} has no service: cloudflared refuses to start, as an empty service is an invalid ` +
              'address (please make sure it has a scheme and a hostname)',
          });
          continue;
        }
        const fixes = fixesFor(file, entry, service.text, service.problem);
        ctx.report({
          file: file.id,
          range: entry.valueRange,
          message: `${service.problem.message}: cloudflared refuses to start${suggestion(service.text)}`,
          ...(fixes.length > 0 ? { fixes } : {}),
        });
      }
    }
  },
};

function fixesFor(file: ParsedFile<unknown>, entry: CloudflaredEntry, text: string, problem: ServiceProblem): Fix[] {
  const edits = (from: number, to: number, newText: string) => {
    const edit = replaceInValue(file, entry, from, to, newText);
    return edit ? [edit] : [];
  };
  if (problem.reason === 'path') {
    const { pathStart, pathEnd } = problem.url;
    const removed = edits(pathStart, pathEnd, '');
    return removed.length ? [{ title: `Remove the path \`${text.slice(pathStart, pathEnd)}\``, isPreferred: true, edits: removed }] : [];
  }
  // `localhost:8000` parses with the scheme `localhost`, `127.0.0.1:8080` not at all: both lack `http://`.
  if (problem.reason !== 'status' && /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]+$/.test(text)) {
    const added = edits(0, 0, 'http://');
    return added.length ? [{ title: `Add the scheme: \`http://${text}\``, isPreferred: true, edits: added }] : [];
  }
  const [word] = closest(text, BUILT_IN_SERVICES);
  const renamed = word ? edits(0, text.length, word) : [];
  return renamed.length ? [{ title: `Change to \`${word}\``, isPreferred: true, edits: renamed }] : [];
}

function suggestion(text: string): string {
  const [word] = closest(text, BUILT_IN_SERVICES);
  return word ? `. Did you mean \`${word}\`?` : '';
}
