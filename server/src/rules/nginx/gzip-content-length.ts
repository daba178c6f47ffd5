import type { TextEdit } from '../../core/findings';
import type { Rule, RuleContext } from '../../core/rule';
import type { NginxNode, NginxTree } from '../../model/nginx-tree';
import { forEachNamedNode } from '../../model/nginx-walk';
import { insertAfter, levelsInheriting, lookupDirective, removeDirective, replaceArgument } from './levels-and-edits';

export const rule: Rule = {
  id: 'nginx/gzip-content-length',
  format: 'nginx',
  defaultSeverity: 'warning',
  title: 'Compressed body that its headers misdescribe',
  docs: `Flags two ways compression and the response headers fall out of step:

- \`add_header Content-Length …\` where \`gzip on\` is in force (at its level or in a nested block
  that inherits it). \`add_header\` writes the header as plain text, and gzip, which removes the
  original length of what it compresses, cannot see it: the compressed body goes out chunked
  with the fixed, now wrong \`Content-Length\` beside it.
- \`gzip_static always\` without \`gunzip on\`: nginx sends the \`.gz\` file with
  \`Content-Encoding: gzip\` to every client, also to those that never asked for gzip.

**At runtime:** a response whose length and body disagree is one Cloudflare cannot relay: its Error
502 page names "gzip-encoded compressed content [with a] content-length header" the origin failed to
update. Clients and checks that do not accept gzip (monitoring, \`curl\` without \`--compressed\`,
proxies that do not decompress) get bytes they cannot read from \`gzip_static always\`.

**What to change:** remove the \`add_header Content-Length\` line (quick fix): nginx sets
\`Content-Length\` itself whenever it knows the length. Removing it lets the enclosing level's
\`add_header\` lines apply here again, as \`add_header\` is inherited only by a level without its own.
For \`gzip_static always\`, add \`gunzip on;\` (quick fix) so nginx decompresses for clients without
gzip support. \`more_set_headers "Content-Length: …"\` (headers-more) is not flagged: its filter runs
before gzip's, which drops that length from the responses it compresses.`,
  check(ctx) {
    forEachNamedNode(ctx.model, ['add_header', 'gzip_static'], (node, tree) => {
      if (node.context.family !== 'http') return;
      const { name, argValues } = node.directive;
      if (name === 'add_header' && argValues[0]?.toLowerCase() === 'content-length') checkFixedLength(ctx, node, tree);
      else if (name === 'gzip_static' && argValues[0]?.toLowerCase() === 'always') checkAlwaysGzip(ctx, node, tree);
    });
  },
};

function checkFixedLength(ctx: RuleContext, node: NginxNode, tree: NginxTree): void {
  const gzipOn = levelsInheriting(node, tree, new Set(['add_header']))
    .map((level) => lookupDirective(level, tree, 'gzip'))
    .map((lookup) => (lookup.known ? lookup.node : undefined))
    .find((gzip) => gzip?.directive.argValues[0]?.toLowerCase() === 'on');
  if (!gzipOn) return;
  ctx.report({
    file: node.file.id,
    range: node.directive.args[0].range,
    message: 'add_header Content-Length sends a fixed length, but gzip compresses this response: the compressed body goes out with a Content-Length that does not match it, and Cloudflare answers 502. Remove the line; nginx sets Content-Length itself.',
    related: [{ file: gzipOn.file.id, range: gzipOn.directive.range, message: 'gzip is on here' }],
    fixes: [{ title: 'Remove add_header Content-Length', edits: [removeDirective(node)], isPreferred: true }],
  });
}

function checkAlwaysGzip(ctx: RuleContext, node: NginxNode, tree: NginxTree): void {
  const levels = levelsInheriting(node, tree, new Set(['gzip_static']));
  const withoutGunzip = levels
    .map((level) => lookupDirective(level, tree, 'gunzip'))
    .filter((lookup) => lookup.known && lookup.node?.directive.argValues[0]?.toLowerCase() !== 'on')
    .map((lookup) => (lookup.known ? lookup.node : undefined));
  if (withoutGunzip.length === 0) return;
  ctx.report({
    file: node.file.id,
    range: node.directive.args[0].range,
    message: 'gzip_static always sends the .gz file to every client, also to those that did not ask for gzip, and without "gunzip on" nothing decompresses it for them: they get bytes they cannot read. Add "gunzip on;".',
    related: [...new Set(withoutGunzip)].flatMap((line) => (line ? [{ file: line.file.id, range: line.directive.range, message: 'gunzip is off here' }] : [])),
    fixes: [{ title: 'Add gunzip on', edits: gunzipEdits(node, levels, withoutGunzip), isPreferred: true }],
  });
}

/**
 * `gunzip off` lines where `gzip_static always` is in force are turned on; where gunzip is off by
 * default or from a level above, one `gunzip on;` after the gzip_static line covers them all.
 */
function gunzipEdits(gzipStatic: NginxNode, levels: Array<NginxNode | null>, offLines: Array<NginxNode | undefined>): TextEdit[] {
  const inScope = (line: NginxNode) => levels.includes(line.parent);
  const local = [...new Set(offLines.filter((line): line is NginxNode => line !== undefined && inScope(line)))];
  const edits = local.map((line) => replaceArgument(line, 0, 'on'));
  if (offLines.some((line) => line === undefined || !inScope(line))) edits.push(insertAfter(gzipStatic, ['gunzip on;']));
  return edits;
}
