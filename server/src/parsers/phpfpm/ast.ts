import type { Range } from '../../core/text';

/** A `key = value` line of a php-fpm global or pool file. */
export interface FpmEntry {
  /** The key as written, e.g. `pm.max_children` or `php_admin_value[memory_limit]`. */
  key: string;
  keyRange: Range;
  /** For `php_value[...]`-style keys: the part before the brackets and the name inside them. */
  arrayKey?: { base: string; name: string };
  /** The value after ini decoding: quotes removed, surrounding spaces trimmed. */
  value: string;
  /** The value as written, after `=` with surrounding spaces trimmed. */
  rawValue: string;
  valueRange: Range;
  /** Set when php-fpm computes the value as it loads, so `value` may not be what it gets (see `FpmComputed`). */
  computed?: FpmComputed;
  /** The whole line's content range (key through value). */
  range: Range;
  /** The section the entry belongs to, or null before any `[section]`. */
  section: FpmSection | null;
}

/**
 * What php-fpm's ini parser works out at load time: an `expression` with operators (`E_ALL & ~E_NOTICE`, kept
 * as written), a `constant` it replaces with PHP's value when one is defined (`E_ERROR` is `1`), or an
 * `environment` variable (`${PORT}`).
 */
export type FpmComputed = 'expression' | 'constant' | 'environment';

export interface FpmSection {
  /** `global` or the pool name. */
  name: string;
  nameRange: Range;
  /** The `[name]` header line. */
  headerRange: Range;
  entries: FpmEntry[];
}

export interface FpmComment {
  marker: ';' | '#';
  /** What follows the marker, as written. */
  text: string;
  range: Range;
  /** For `#`: php-fpm's message refusing the line, since it does not read `#` as a comment. */
  refusal?: string;
}

export interface FpmSyntaxError {
  /** php-fpm's (or PHP's ini scanner's) own wording where it has one. */
  message: string;
  /** A plain-language explanation of the message, where the message alone is cryptic. */
  hint?: string;
  range: Range;
}

export interface FpmParseResult {
  /** Entries before the first section header (allowed in included files). */
  preamble: FpmEntry[];
  sections: FpmSection[];
  comments: FpmComment[];
  errors: FpmSyntaxError[];
}
