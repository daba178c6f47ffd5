/**
 * How cloudflared's YAML reader (Go's yaml.v3, `resolve.go` and `decode.go`) sees a value: the tag it resolves a
 * scalar to and the text a Go `string` field receives. The `yaml` package follows YAML 1.2's core schema, which
 * differs from yaml.v3 at the edges (`1_000` and `0b101` are numbers to Go), so plain scalars are resolved here.
 */
import type { ParsedFile } from '../../../model/workspace';
import type { CloudflaredEntry } from '../../../parsers/cloudflared/ast';

export type GoTag = '!!null' | '!!bool' | '!!int' | '!!float' | '!!str' | '!!seq' | '!!map';

export interface GoValue {
  tag: GoTag;
  /** The scalar as written (yaml.v3's `n.Value`); empty for null and collections. */
  text: string;
}

/** The value of an entry as yaml.v3 resolves it; undefined when `yaml` could not decode it (broken alias). */
export function goValue(file: ParsedFile<unknown>, entry: CloudflaredEntry): GoValue | undefined {
  const { value } = entry;
  if (value === undefined) return undefined;
  if (value === null) return { tag: '!!null', text: '' };
  if (Array.isArray(value)) return { tag: '!!seq', text: '' };
  if (typeof value === 'object') return { tag: '!!map', text: '' };
  if (entry.quoted) return { tag: '!!str', text: String(value) };
  // An explicit tag (`!!str 4`) decides for both readers, so `yaml`'s decoding is yaml.v3's.
  if (isTagged(file, entry)) return { tag: goTagOfDecoded(value), text: String(value) };
  if (typeof value === 'string') return goScalar(value);
  // A plain number or boolean sits on one line; its source text is what yaml.v3 resolves. An alias (`*name`)
  // shows only its name, so the decoded value stands in.
  const written = sourceText(file, entry);
  return goScalar(written.startsWith('*') ? String(value) : written);
}

/** A tag such as `!!str` written just before the value. */
function isTagged(file: ParsedFile<unknown>, entry: CloudflaredEntry): boolean {
  const { start } = entry.valueRange;
  return /(^|\s)![^\s]*\s+$/.test(file.text.slice(file.lines.lineStarts[start.line], file.lines.offsetAt(start)));
}

/** What a Go `string` field holds: any scalar's text, `""` for null; undefined for a collection (a type error). */
export function goString(file: ParsedFile<unknown>, entry: CloudflaredEntry | undefined): string | undefined {
  if (!entry) return '';
  const go = goValue(file, entry);
  if (!go || go.tag === '!!seq' || go.tag === '!!map') return undefined;
  return go.text;
}

/** The tag of a decoded list element, for lists whose items have no entries of their own. */
export function goTagOfDecoded(value: unknown): GoTag {
  if (value === null || value === undefined) return '!!null';
  if (Array.isArray(value)) return '!!seq';
  if (typeof value === 'boolean') return '!!bool';
  if (typeof value === 'number') return Number.isInteger(value) ? '!!int' : '!!float';
  if (typeof value === 'string') return '!!str';
  return '!!map';
}

/** The source text of an entry's value. */
export function sourceText(file: ParsedFile<unknown>, entry: CloudflaredEntry): string {
  return file.text.slice(file.lines.offsetAt(entry.valueRange.start), file.lines.offsetAt(entry.valueRange.end));
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const SPECIAL_FLOATS = /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** `strconv.ParseInt(s, 0, 64)` syntax, underscores already removed: decimal, `0x`, `0o`, `0b`, or `0`-led octal. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

/** yaml.v3's `resolve` for a plain scalar (timestamps, which only `!!timestamp` fields read as such, stay strings). */
export function goScalar(text: string): GoValue {
  if (NULLS.has(text)) return { tag: '!!null', text };
  if (BOOLS.has(text)) return { tag: '!!bool', text };
  if (SPECIAL_FLOATS.test(text)) return { tag: '!!float', text };
  if (!/^[-+0-9.]/.test(text)) return { tag: '!!str', text };
  const plain = text.replace(/_/g, '');
  if (text[0] !== '.' && GO_INT.test(plain)) return { tag: '!!int', text };
  if (YAML_STYLE_FLOAT.test(text[0] === '.' ? text : plain)) return { tag: '!!float', text };
  return { tag: '!!str', text };
}

/** The number a `!!int` or `!!float` scalar stands for, as Go parses it. */
export function goNumber(text: string): number {
  const plain = text.replace(/_/g, '');
  const sign = plain.startsWith('-') ? -1 : 1;
  const digits = plain.replace(/^[-+]/, '');
  if (/^0[0-7]+$/.test(digits)) return sign * parseInt(digits, 8);
  if (/^0[oO]/.test(digits)) return sign * parseInt(digits.slice(2), 8);
  if (/^0[bB]/.test(digits)) return sign * parseInt(digits.slice(2), 2);
  return sign * Number(digits);
}

/** The spellings yaml.v3 also accepts for a typed `bool` field (YAML 1.1 compatibility), quoted or not. */
const YAML11_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);

/** What a typed Go `bool` field gets from a value: true, false, or undefined when yaml.v3 refuses it. */
export function goBool(value: GoValue): boolean | undefined {
  if (value.tag === '!!bool') return value.text.toLowerCase() === 'true';
  if (value.tag === '!!str' && YAML11_BOOLS.has(value.text)) return YAML11_TRUE.has(value.text);
  return undefined;
}

/**
 * yaml.v3's message for a value a typed field refuses (`decoder.terror`): long scalars are cut to seven characters.
 * cloudflared prints it after `error parsing YAML in config file at <path>: yaml: unmarshal errors:`.
 */
export function cannotUnmarshal(value: GoValue, goType: string): string {
  if (value.tag === '!!seq' || value.tag === '!!map') return `cannot unmarshal ${value.tag} into ${goType}`;
  const shown = value.text.length > 10 ? `${value.text.slice(0, 7)}...` : value.text;
  return `cannot unmarshal ${value.tag} \`${shown}\` into ${goType}`;
}
