import { comparePositions, type Range } from '../core/text';
import type { CloudflaredConfig, CloudflaredEntry, CloudflaredIngressRule } from '../parsers/cloudflared/ast';
import { SYMBOL_KIND, type OutlineSymbol } from './symbols-types';

/** The outline of a cloudflared config: its top-level keys, ingress rules by hostname, originRequest keys. */
export function cloudflaredOutline(config: CloudflaredConfig): OutlineSymbol[] {
  return config.topLevel.map((entry) => {
    if (entry.key === 'ingress') {
      return { ...entrySymbol(entry, SYMBOL_KIND.Array), detail: `${config.ingress.length} rules`, children: config.ingress.map(ruleSymbol) };
    }
    if (entry.key === 'originRequest') {
      return { ...entrySymbol(entry, SYMBOL_KIND.Object), detail: undefined, children: config.originRequest.map((e) => entrySymbol(e, SYMBOL_KIND.Property)) };
    }
    return entrySymbol(entry, SYMBOL_KIND.Property);
  });
}

function ruleSymbol(rule: CloudflaredIngressRule): OutlineSymbol {
  const hostname = typeof rule.hostname?.value === 'string' ? rule.hostname.value : undefined;
  const path = typeof rule.path?.value === 'string' ? ` ${rule.path.value}` : '';
  const service = typeof rule.service?.value === 'string' ? rule.service.value : undefined;
  return {
    name: `${hostname ?? (path ? '*' : 'catch-all')}${path}`,
    detail: service,
    kind: SYMBOL_KIND.Object,
    range: rule.range,
    selectionRange: rule.hostname?.valueRange ?? rule.range,
    children: rule.originRequest.map((e) => entrySymbol(e, SYMBOL_KIND.Property)),
  };
}

function entrySymbol(entry: CloudflaredEntry, kind: OutlineSymbol['kind']): OutlineSymbol {
  return {
    name: entry.key,
    detail: isScalar(entry.value) ? String(entry.value) : undefined,
    kind,
    range: spanning(entry.keyRange, entry.valueRange),
    selectionRange: entry.keyRange,
  };
}

function isScalar(value: unknown): boolean {
  return value !== null && value !== undefined && typeof value !== 'object';
}

/** From the key to the end of its value (a missing value's range sits at the key's end). */
function spanning(key: Range, value: Range): Range {
  return { start: key.start, end: comparePositions(value.end, key.end) > 0 ? value.end : key.end };
}
