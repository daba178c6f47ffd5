import { containsPosition, type Position } from '../core/text';
import type { CloudflaredConfig, CloudflaredEntry } from '../parsers/cloudflared/ast';
import { cloudflaredKey, type CloudflaredKeyLevel } from '../reference/cloudflared';

/** The documentation of the cloudflared key under the cursor: top level, ingress rule or originRequest. */
export function cloudflaredHoverMarkdown(config: CloudflaredConfig, position: Position): string | undefined {
  const levels: Array<[CloudflaredKeyLevel, readonly CloudflaredEntry[]]> = [
    ['top-level', config.topLevel],
    ['originRequest', config.originRequest],
    ...config.ingress.flatMap((rule): Array<[CloudflaredKeyLevel, readonly CloudflaredEntry[]]> => [
      ['ingress-rule', rule.entries],
      ['originRequest', rule.originRequest],
    ]),
  ];
  for (const [level, entries] of levels) {
    const entry = entries.find((e) => containsPosition(e.keyRange, position));
    if (!entry) continue;
    const info = cloudflaredKey(level, entry.key);
    return info ? `**${info.name}** (cloudflared ${level})\n\n${info.doc}` : undefined;
  }
  return undefined;
}
