import type { Range } from '../../core/text';

/** One argument as nginx's lexer sees it (ngx_conf_read_token). */
export interface NginxArg {
  /** The value nginx stores: quotes removed and backslash escapes undone, in quoted and bare words alike. */
  value: string;
  /** The argument exactly as written, quotes included. */
  raw: string;
  quote: '"' | "'" | null;
  readonly range: Range;
}

export interface NginxComment {
  /** Text after `#`, without the line break. */
  readonly text: string;
  readonly range: Range;
}

export interface NginxBlock {
  children: NginxDirective[];
  /** From `{` to the matching `}` (or to the end of the file when it is missing). */
  range: Range;
  /** False when the file ended before the closing `}`. */
  closed: boolean;
}

export interface NginxDirective {
  name: string;
  readonly nameRange: Range;
  /** Words made when first asked for (see the parser): read `argValues` where the values are enough. */
  readonly args: NginxArg[];
  /** Each argument's value, as `args` holds it. */
  readonly argValues: readonly string[];
  /** From the first character of the name to the terminating `;` or the block's `}`, inclusive. */
  readonly range: Range;
  /** How the directive ended: `;`, a `{ … }` block, or nothing (a syntax error). */
  terminator: ';' | '{' | null;
  block?: NginxBlock;
  /** For `*_by_lua_block { … }` and similar: the body between the braces, kept verbatim. */
  rawBody?: { text: string; range: Range };
}

export type NginxSyntaxErrorKind =
  /** Matches a message `nginx -t` prints, at the same line. */
  | 'nginx'
  /** Our own diagnosis where nginx's message would mislead, e.g. a missing `;` before a known directive. */
  | 'missing-semicolon';

export interface NginxSyntaxError {
  kind: NginxSyntaxErrorKind;
  /** nginx's own wording, e.g. `unexpected "}"`. */
  message: string;
  range: Range;
}

export interface NginxParseResult {
  directives: NginxDirective[];
  comments: NginxComment[];
  /** In document order; the first of kind `nginx` is the one `nginx -t` would stop at. At most the first 1,000. */
  errors: NginxSyntaxError[];
  /** How many syntax errors came after those in `errors` and were only counted: a file that is not nginx's has one per stray character. */
  errorsNotRecorded?: number;
}

export interface NginxParseOptions {
  /** Tells the parser which bare words start a directive, to spot a missing `;` at the end of a line. */
  isDirectiveName?: (name: string) => boolean;
}
