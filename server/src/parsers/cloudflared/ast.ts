import type { Range } from '../../core/text';
import type { Document } from 'yaml';

export interface CloudflaredSyntaxError {
  message: string;
  range: Range;
}

export interface CloudflaredParseResult {
  /** The `yaml` Document; node ranges map to positions through `rangeOf`. */
  document: Document.Parsed;
  errors: CloudflaredSyntaxError[];
  /** Turns a `yaml` node range ([start, valueEnd, nodeEnd] offsets) into an LSP range. */
  rangeOf(offsets: readonly [number, number, number] | undefined | null): Range;
  config: CloudflaredConfig;
}

/** A `key: value` pair of the config with both ranges, the value left as `yaml` decoded it. */
export interface CloudflaredEntry {
  key: string;
  keyRange: Range;
  /** The decoded value (string, number, boolean, null, array or plain object). */
  value: unknown;
  /** The value's node range; for a missing value, the end of the key. */
  valueRange: Range;
  /** True when the value was written as a quoted string (cloudflared reads `"30"` and `30` differently). */
  quoted: boolean;
}

export interface CloudflaredIngressRule {
  /** 0-based position in the `ingress` list. */
  index: number;
  /** The list item's range (from `-` to its last value). */
  range: Range;
  /** Every key of the rule, in order, including unknown ones. */
  entries: CloudflaredEntry[];
  hostname?: CloudflaredEntry;
  path?: CloudflaredEntry;
  service?: CloudflaredEntry;
  /** The keys under the rule's `originRequest:`. */
  originRequest: CloudflaredEntry[];
  originRequestEntry?: CloudflaredEntry;
}

/** The typed view of a cloudflared config that the rules and the model read. */
export interface CloudflaredConfig {
  /** Every top-level key, in order. */
  topLevel: CloudflaredEntry[];
  /** The top-level `ingress:` key, when present. */
  ingressEntry?: CloudflaredEntry;
  ingress: CloudflaredIngressRule[];
  /** The keys under the top-level `originRequest:`. */
  originRequest: CloudflaredEntry[];
}
