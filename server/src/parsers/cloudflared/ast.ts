import type { Range } from '../../core/text';
import type { Document } from 'yaml';

export interface CloudflaredSyntaxError {
  message: string;
  range: Range;
}

export interface CloudflaredParseResult {
  /** The `yaml` Document; node ranges map to positions through `rangeOf`. */
  document: Document.Parsed;
  /** What stops cloudflared from loading the file: YAML errors, duplicate keys, aliases to unknown anchors. The first 1,000. */
  errors: CloudflaredSyntaxError[];
  /** How many errors came after those in `errors` and were only counted: a file that is not YAML has one per line. */
  errorsNotRecorded?: number;
  /** YAML that loads but not as written, e.g. a second document (cloudflared reads only the first). */
  warnings: CloudflaredSyntaxError[];
  /** Turns a `yaml` node range ([start, valueEnd, nodeEnd] offsets) into an LSP range: start to valueEnd, trailing whitespace left out. */
  rangeOf(offsets: readonly [number, number, number] | undefined | null): Range;
  config: CloudflaredConfig;
  /**
   * The keys of the map an entry's value is (through an alias), for the maps the typed view does not list, e.g.
   * `warp-routing` or an `originRequest`'s `access`; empty when the value is not a map.
   */
  entriesIn(entry: CloudflaredEntry): CloudflaredEntry[];
  /** The items of the list an entry's value is, each as the keys of its map (empty for other items), e.g. `ipRules`. */
  itemsIn(entry: CloudflaredEntry): CloudflaredEntry[][];
}

/** A `key: value` pair of the config with both ranges, the value left as `yaml` decoded it. */
export interface CloudflaredEntry {
  key: string;
  keyRange: Range;
  /** The decoded value (string, number, boolean, null, array or plain object). */
  value: unknown;
  /** The value's node range; for a missing value, the end of the key. */
  valueRange: Range;
  /**
   * True when the value was written as a quoted or block (`|`, `>`) string (cloudflared reads `"30"` and `30`
   * differently). Go's yaml.v3 types only plain scalars, so such a value is a string whatever it looks like.
   */
  quoted: boolean;
}

export interface CloudflaredIngressRule {
  /** 0-based position in the `ingress` list. */
  index: number;
  /** The list item's range (from `-` to its last value). */
  range: Range;
  /** Every key of the rule, in order, including unknown ones and a `<<` merge key as written. */
  entries: CloudflaredEntry[];
  /** The rule's own key, else one merged in through `<<` (as cloudflared's yaml.v3 merges). */
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
