import type { CloudflaredConfig } from '../../../parsers/cloudflared/ast';
import { cloudflaredKey } from '../../../reference/cloudflared';

/**
 * True when some top-level key is one cloudflared reads. A YAML file that only sits in a cloudflared folder (a
 * Kubernetes manifest, say) has none, and its keys are not cloudflared's business.
 */
export function readsAsCloudflaredConfig(config: CloudflaredConfig): boolean {
  return config.topLevel.some((entry) => cloudflaredKey('top-level', entry.key) !== undefined);
}
