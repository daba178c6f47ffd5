import type { ParsedFile } from '../../../model/workspace';
import type { CloudflaredConfig, CloudflaredIngressRule } from '../../../parsers/cloudflared/ast';
import { goString } from './go-yaml';

/**
 * True when yaml.v3 can read the list item as an ingress rule: a map, or nothing (`-`). A scalar or list item is a
 * type error that stops cloudflared on its own, so the rules that read rules leave it to `invalid-value`.
 */
export function decodesAsRule(config: CloudflaredConfig, rule: CloudflaredIngressRule): boolean {
  const items = config.ingressEntry?.value;
  const item: unknown = Array.isArray(items) ? items[rule.index] : undefined;
  return item === null || (typeof item === 'object' && !Array.isArray(item));
}

/**
 * cloudflared's `isCatchAllRule`: no hostname (or `"*"`) and no path. Undefined when the item is no rule or its
 * hostname or path is a map or list, type errors of their own.
 */
export function isCatchAll(file: ParsedFile<{ config: CloudflaredConfig }>, rule: CloudflaredIngressRule): boolean | undefined {
  const hostname = goString(file, rule.hostname);
  const path = goString(file, rule.path);
  if (!decodesAsRule(file.parse.config, rule) || hostname === undefined || path === undefined) return undefined;
  return (hostname === '' || hostname === '*') && path === '';
}
