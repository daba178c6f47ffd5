import type { Related, TextEdit } from '../../core/findings';
import type { Rule, RuleContext } from '../../core/rule';
import type { NginxNode, NginxTree } from '../../model/nginx-tree';
import { forEachNamedNode } from '../../model/nginx-walk';
import { insertAfter, levelsInheriting, lookupDirective, removeDirective, replaceArgument, type Level } from './levels-and-edits';

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
    // What a line's level passes on depends on the level only: worked out once for all the lines of one level, as
    // each walks every block below it.
    // By level: a block, or the tree for its top level.
    const gzipOnBelow = new Map<NginxNode | NginxTree, NginxNode | undefined>();
    const gunzipOffBelow = new Map<NginxNode | NginxTree, GunzipOff>();
    forEachNamedNode(ctx.model, ['add_header', 'gzip_static'], (node, tree) => {
      if (node.context.family !== 'http') return;
      const { name, argValues } = node.directive;
      if (name === 'add_header' && argValues[0]?.toLowerCase() === 'content-length') {
        const level = node.parent ?? tree;
        if (!gzipOnBelow.has(level)) gzipOnBelow.set(level, gzipOnWhereInherited(node, tree));
        checkFixedLength(ctx, node, gzipOnBelow.get(level));
      } else if (name === 'gzip_static' && argValues[0]?.toLowerCase() === 'always') {
        const level = node.parent ?? tree;
        if (!gunzipOffBelow.has(level)) gunzipOffBelow.set(level, gunzipOffWhereInherited(node, tree));
        checkAlwaysGzip(ctx, node, gunzipOffBelow.get(level)!);
      }
    });
  },
};

/** The first `gzip on` in force at a level where `node`, an `add_header`, is inherited. */
function gzipOnWhereInherited(node: NginxNode, tree: NginxTree): NginxNode | undefined {
  return levelsInheriting(node, tree, new Set(['add_header']))
    .map((level) => lookupDirective(level, tree, 'gzip'))
    .map((lookup) => (lookup.known ? lookup.node : undefined))
    .find((gzip) => gzip?.directive.argValues[0]?.toLowerCase() === 'on');
}

/** Where a level's `gzip_static always` leaves gunzip off, and what turns it on. */
interface GunzipOff {
  /** At each level where it is in force, the `gunzip` line that is not on (undefined: off by default). */
  lines: Array<NginxNode | undefined>;
  related: Related[];
  /** Those lines at these levels, turned on. */
  turnedOn: TextEdit[];
  /** Gunzip is off by default, or from a level above, somewhere: one `gunzip on;` after the gzip_static covers it. */
  needsOwnLine: boolean;
}

function gunzipOffWhereInherited(node: NginxNode, tree: NginxTree): GunzipOff {
  const levels = levelsInheriting(node, tree, new Set(['gzip_static']));
  const lines = levels
    .map((level) => lookupDirective(level, tree, 'gunzip'))
    .filter((lookup) => lookup.known && lookup.node?.directive.argValues[0]?.toLowerCase() !== 'on')
    .map((lookup) => (lookup.known ? lookup.node : undefined));
  const inScope = new Set<Level>(levels);
  const distinct = [...new Set(lines)];
  return {
    lines,
    related: distinct.flatMap((line) => (line ? [{ file: line.file.id, range: line.directive.range, message: 'gunzip is off here' }] : [])),
    turnedOn: distinct.flatMap((line) => (line && inScope.has(line.parent) ? [replaceArgument(line, 0, 'on')] : [])),
    needsOwnLine: distinct.some((line) => line === undefined || !inScope.has(line.parent)),
  };
}

function checkFixedLength(ctx: RuleContext, node: NginxNode, gzipOn: NginxNode | undefined): void {
  if (!gzipOn) return;
  ctx.report({
    file: node.file.id,
    range: node.directive.args[0].range,
    message: 'add_header Content-Length sends a fixed length, but gzip compresses this response: the compressed body goes out with a Content-Length that does not match it, and Cloudflare answers 502. Remove the line; nginx sets Content-Length itself.',
    related: [{ file: gzipOn.file.id, range: gzipOn.directive.range, message: 'gzip is on here' }],
    fixes: [{ title: 'Remove add_header Content-Length', edits: [removeDirective(node)], isPreferred: true }],
  });
}

function checkAlwaysGzip(ctx: RuleContext, node: NginxNode, off: GunzipOff): void {
  if (off.lines.length === 0) return;
  ctx.report({
    file: node.file.id,
    range: node.directive.args[0].range,
    message: 'gzip_static always sends the .gz file to every client, also to those that did not ask for gzip, and without "gunzip on" nothing decompresses it for them: they get bytes they cannot read. Add "gunzip on;".',
    related: off.related,
    // `gunzip off` lines where it is in force are turned on; elsewhere one `gunzip on;` after the gzip_static line covers them all.
    fixes: [{ title: 'Add gunzip on', edits: off.needsOwnLine ? [...off.turnedOn, insertAfter(node, ['gunzip on;'])] : [...off.turnedOn], isPreferred: true }],
  });
}
