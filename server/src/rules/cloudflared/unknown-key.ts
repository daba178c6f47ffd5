import type { Fix } from '../../core/findings';
import type { Rule, RuleContext } from '../../core/rule';
import { closest } from '../../core/suggest';
import { isMap, isNode, isPair, isScalar } from 'yaml';
import type { ParsedFile } from '../../model/workspace';
import type { CloudflaredEntry, CloudflaredParseResult } from '../../parsers/cloudflared/ast';
import { CLOUDFLARED_KEYS, cloudflaredKey, type CloudflaredKeyLevel } from '../../reference/cloudflared';
import { readsAsCloudflaredConfig } from './lib/config-file';
import { nestedMaps } from './lib/nested-maps';
import { writtenOriginRequests } from './lib/origin-request';

/** The Go struct behind each nested level; cloudflared's strict second read warns `field X not found in type T`. */
const GO_STRUCTS: Partial<Record<CloudflaredKeyLevel, string>> = {
  'ingress-rule': 'config.UnvalidatedIngressRule',
  originRequest: 'config.OriginRequestConfig',
  'warp-routing': 'config.WarpRoutingConfig',
  access: 'config.AccessConfig',
  ipRule: 'config.IngressIPRule',
};

/** Where a key known at one level belongs when it is written at another. */
const BELONGS_UNDER: Partial<Record<CloudflaredKeyLevel, Array<[CloudflaredKeyLevel, string]>>> = {
  'top-level': [['originRequest', 'under the top-level `originRequest:`']],
  'ingress-rule': [['originRequest', "under the rule's `originRequest:`"]],
  originRequest: [['ingress-rule', 'in the ingress rule itself, next to `originRequest:`']],
};

export const rule: Rule = {
  id: 'cloudflared/unknown-key',
  format: 'cloudflared',
  defaultSeverity: 'warning',
  title: 'cloudflared does not know this key and ignores it',
  docs: `Reports a key that cloudflared does not read: at the top level of the config, in an ingress rule, in an
\`originRequest\` map (top level or per rule), in \`warp-routing\`, \`access\` or an \`ipRules\` entry. Key names are
case-sensitive, as Go's YAML reader matches them.

**At runtime:** cloudflared starts and silently ignores the key (only \`cloudflared tunnel ingress validate\` prints
\`field noTlsVerify not found in type config.OriginRequestConfig\`). The setting you meant never applies: with
\`noTlsVerify: true\` cloudflared still verifies the origin's certificate and answers 502 Bad Gateway when it fails;
a misspelt \`connectTimout\` leaves the 30 s default in place.

**What to change:** use the name cloudflared knows (the quick fix renames it to the nearest one), or move the key to
the level it belongs to: origin settings such as \`noTLSVerify\` go under \`originRequest:\`, not directly in a rule.
YAML merge keys (\`<<\`) and top-level keys that only hold an anchor for other keys to reuse are not reported.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { config } = file.parse;
      if (!readsAsCloudflaredConfig(config)) continue;
      const anchorHolders = topLevelAnchorHolders(file.parse);
      report(ctx, file, 'top-level', config.topLevel.filter((e) => !anchorHolders.has(e.key)));
      for (const rule of config.ingress) report(ctx, file, 'ingress-rule', rule.entries);
      for (const entries of writtenOriginRequests(config)) report(ctx, file, 'originRequest', entries);
      for (const { level, entries } of nestedMaps(file.parse)) report(ctx, file, level, entries);
    }
  },
};

function report(ctx: RuleContext, file: ParsedFile<unknown>, level: CloudflaredKeyLevel, entries: CloudflaredEntry[]): void {
  for (const entry of entries) {
    if (entry.key === '<<' || cloudflaredKey(level, entry.key)) continue;
    const suggestions = closest(entry.key, CLOUDFLARED_KEYS[level].map((k) => k.name));
    const struct = GO_STRUCTS[level];
    const elsewhere = (BELONGS_UNDER[level] ?? []).find(([other]) => cloudflaredKey(other, entry.key));
    const what = struct
      ? `field ${entry.key} not found in type ${struct}: cloudflared ignores it`
      : `cloudflared does not know the top-level key "${entry.key}" and ignores it`;
    const hint = elsewhere
      ? `; \`${entry.key}\` belongs ${elsewhere[1]}`
      : suggestions.length > 0 ? `. Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
    // A name the map already holds would be a duplicate key, which cloudflared refuses to load.
    const free = suggestions.filter((name) => !entries.some((e) => e.key === name));
    const fixes: Fix[] = elsewhere ? [] : free.map((name, i) => ({
      title: `Rename to \`${name}\``,
      ...(i === 0 ? { isPreferred: true } : {}),
      edits: [{ file: file.id, range: entry.keyRange, newText: name }],
    }));
    ctx.report({ file: file.id, range: entry.keyRange, message: what + hint, ...(fixes.length > 0 ? { fixes } : {}) });
  }
}

/**
 * Top-level keys whose value carries an anchor (`x-defaults: &web …`): they exist for `*web` and `<<: *web` to reuse,
 * and cloudflared ignoring them is the point.
 */
function topLevelAnchorHolders(parse: CloudflaredParseResult): Set<string> {
  const root = parse.document.contents;
  const names = new Set<string>();
  if (!isMap(root)) return names;
  for (const pair of root.items) {
    if (isPair(pair) && isScalar(pair.key) && isNode(pair.value) && pair.value.anchor) names.add(String(pair.key.value));
  }
  return names;
}
