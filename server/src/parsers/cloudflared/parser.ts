import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit, Scalar } from 'yaml';
import type { Document, Node, Pair, YAMLError, YAMLMap, YAMLSeq } from 'yaml';
import { appendAll } from '../../core/append';
import { MAX_RECORDED_ERRORS } from '../../core/listing';
import { comparePositions, LineIndex, type Range } from '../../core/text';
import type {
  CloudflaredConfig,
  CloudflaredEntry,
  CloudflaredIngressRule,
  CloudflaredParseResult,
  CloudflaredSyntaxError,
} from './ast';

type Offsets = readonly [number, number, number];

/** What the readers below share: the document, its text and the offset-to-position index. */
interface Source {
  document: Document.Parsed;
  text: string;
  lines: LineIndex;
}

/**
 * `yaml` makes an `Error` for every problem it meets, and a stack trace for each: a file that is not YAML at all has
 * one per line, and taking their stacks was most of the time spent reading it.
 */
function withoutStackTraces<T>(read: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Parses a cloudflared `config.yml`. Never throws: any text gives a document, its problems and a typed view that
 * holds whatever parts have the expected shape.
 */
export function parseCloudflared(text: string): CloudflaredParseResult {
  const document = withoutStackTraces(() => parseDocument(text, {
    // The `-` that opens each ingress rule exists only in the concrete syntax tree.
    keepSourceTokens: true,
    // cloudflared's Go yaml.v3 honours `<<` merge keys, which YAML 1.2 alone does not.
    merge: true,
    // Plain messages: the position travels separately.
    prettyErrors: false,
    // `yaml` compares each key with every earlier key of its map, quadratic in the map's size: duplicateKeys() below.
    uniqueKeys: false,
    // A parser writes nothing to the process's stderr (`toJS` warns of collection keys otherwise).
    logLevel: 'error',
  }));
  const source: Source = { document, text, lines: new LineIndex(text) };
  const { errors, warnings } = problemsOf(source);
  return {
    document,
    errors: errors.slice(0, MAX_RECORDED_ERRORS),
    ...(errors.length > MAX_RECORDED_ERRORS ? { errorsNotRecorded: errors.length - MAX_RECORDED_ERRORS } : {}),
    warnings,
    rangeOf: (offsets) => {
      const [start, valueEnd] = offsets ?? [0, 0];
      return rangeBetween(source, start, trimmedEnd(source, start, valueEnd));
    },
    config: configOf(source),
    entriesIn,
    itemsIn,
  };
}

/** True when the text (or parse) is a YAML map with a `tunnel:` or `ingress:` key at its top level. */
export function looksLikeCloudflaredConfig(input: CloudflaredParseResult | string): boolean {
  const parse = typeof input === 'string' ? parseCloudflared(input) : input;
  return parse.config.topLevel.some((entry) => entry.key === 'tunnel' || entry.key === 'ingress');
}

// ---- problems -------------------------------------------------------------------------------------------------

function problemsOf(source: Source): { errors: CloudflaredSyntaxError[]; warnings: CloudflaredSyntaxError[] } {
  const errors: CloudflaredSyntaxError[] = [];
  const warnings: CloudflaredSyntaxError[] = [];
  for (const error of source.document.errors) {
    // yaml.v3 decodes one document and never looks past it, so a second one is ignored, not fatal.
    (error.code === 'MULTIPLE_DOCS' ? warnings : errors).push(problemOf(source, error));
  }
  for (const warning of source.document.warnings) warnings.push(problemOf(source, warning));
  appendAll(errors, duplicateKeys(source));
  appendAll(errors, unknownAliases(source));
  return { errors: byPosition(errors), warnings: byPosition(warnings) };
}

function problemOf(source: Source, error: YAMLError): CloudflaredSyntaxError {
  return { message: messageOf(error), range: rangeBetween(source, error.pos[0], error.pos[1]) };
}

function messageOf(error: YAMLError): string {
  if (error.code === 'MULTIPLE_DOCS') {
    return 'A second YAML document starts here: cloudflared reads only the first one and ignores the rest of the file';
  }
  if (error.name === 'YAMLWarning') return `YAML warning: ${error.message}`;
  // The lexer names its tokens ("map-value-ind"); the quoted character that follows is what the user wrote.
  const token = /^Unexpected [\w-]+ token in YAML stream: (.*)$/.exec(error.message);
  return `Invalid YAML: ${token ? `Unexpected ${token[1]}` : error.message}`;
}

/**
 * The keys a map repeats, as `yaml`'s own unique-keys check finds them (scalar keys of equal value; each `<<` merge
 * key is a symbol of its own, so never a repeat), in one pass over the document, on the whole repeated key.
 */
function duplicateKeys(source: Source): CloudflaredSyntaxError[] {
  const found: CloudflaredSyntaxError[] = [];
  const pending: unknown[] = [source.document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isCollection(node)) continue;
    const keys = new Set<unknown>();
    for (const item of node.items) {
      if (!isPair(item)) {
        pending.push(item);
        continue;
      }
      pending.push(item.key, item.value);
      const key = item.key;
      // NaN is no repeat of NaN for `yaml`, though a Set holds it once.
      if (!isMap(node) || !isScalar(key) || Number.isNaN(key.value)) continue;
      if (keys.has(key.value)) {
        const [start, end] = offsetsOf(key);
        found.push({
          message: `Duplicate key "${keyName(source, key)}": cloudflared refuses to load a mapping that sets a key twice`,
          range: rangeBetween(source, start, end),
        });
      }
      keys.add(key.value);
    }
  }
  return found;
}

/** `yaml` accepts an alias to an anchor that does not exist; yaml.v3 (and so cloudflared) refuses the file. */
function unknownAliases(source: Source): CloudflaredSyntaxError[] {
  const found: CloudflaredSyntaxError[] = [];
  visit(source.document, {
    Alias(_, alias) {
      if (alias.resolve(source.document) === undefined) {
        const [start, end] = offsetsOf(alias);
        found.push({ message: unknownAliasMessage(alias.source), range: rangeBetween(source, start, end) });
      }
    },
  });
  return found;
}

function unknownAliasMessage(name: string): string {
  const message =
    `"*${name}" is read as an alias, but no anchor "&${name}" is defined before it, so cloudflared refuses to load the file`;
  // `hostname: *.example.com` is the usual way to get here.
  return name.startsWith('.') ? `${message}; quote a wildcard hostname: "*${name}"` : message;
}

function byPosition(problems: CloudflaredSyntaxError[]): CloudflaredSyntaxError[] {
  return problems.sort((a, b) => comparePositions(a.range.start, b.range.start));
}

// ---- typed view -----------------------------------------------------------------------------------------------

function configOf(source: Source): CloudflaredConfig {
  const root = source.document.contents;
  if (!isMap(root)) return { topLevel: [], ingress: [], originRequest: [] };
  const ingress = findPair(source, root, 'ingress');
  const config: CloudflaredConfig = {
    topLevel: entriesOf(source, root),
    ingress: ingressRulesOf(source, resolved(source, ingress?.value)),
    originRequest: mapEntriesOf(source, resolved(source, findPair(source, root, 'originRequest')?.value)),
  };
  if (ingress) config.ingressEntry = entryOf(source, ingress);
  return config;
}

function ingressRulesOf(source: Source, list: Node | undefined): CloudflaredIngressRule[] {
  if (!isSeq(list)) return [];
  return list.items.map((item, index) => ingressRuleOf(source, list, item, index));
}

function ingressRuleOf(source: Source, list: YAMLSeq, item: unknown, index: number): CloudflaredIngressRule {
  const start = dashOffset(list, index) ?? offsetsOf(item)[0];
  const rule: CloudflaredIngressRule = {
    index,
    range: rangeBetween(source, start, Math.max(start, contentEnd(source, item))),
    entries: [],
    originRequest: [],
  };
  const node = resolved(source, item);
  if (!isMap(node)) return rule;
  rule.entries = entriesOf(source, node);
  for (const key of ['hostname', 'path', 'service'] as const) {
    const pair = findPair(source, node, key);
    if (pair) rule[key] = entryOf(source, pair);
  }
  const originRequest = findPair(source, node, 'originRequest');
  if (originRequest) {
    rule.originRequestEntry = entryOf(source, originRequest);
    rule.originRequest = mapEntriesOf(source, resolved(source, originRequest.value));
  }
  return rule;
}

/** The `-` of a block sequence item; flow items (`[a, b]`) have none. */
function dashOffset(list: YAMLSeq, index: number): number | undefined {
  const token = list.srcToken;
  if (token?.type !== 'block-seq') return undefined;
  return token.items[index]?.start.find((t) => t.type === 'seq-item-ind')?.offset;
}

function mapEntriesOf(source: Source, node: Node | undefined): CloudflaredEntry[] {
  return isMap(node) ? entriesOf(source, node) : [];
}

function entriesOf(source: Source, map: YAMLMap): CloudflaredEntry[] {
  return map.items.filter(isPair).map((pair) => entryOf(source, pair));
}

/** Where each entry was read from, so `entriesIn` and `itemsIn` can read below it; entries stay plain data. */
const origins = new WeakMap<CloudflaredEntry, { source: Source; pair: Pair }>();

function entryOf(source: Source, pair: Pair): CloudflaredEntry {
  const entry = plainEntryOf(source, pair);
  origins.set(entry, { source, pair });
  return entry;
}

function entriesIn(entry: CloudflaredEntry): CloudflaredEntry[] {
  const origin = origins.get(entry);
  return origin ? mapEntriesOf(origin.source, resolved(origin.source, origin.pair.value)) : [];
}

function itemsIn(entry: CloudflaredEntry): CloudflaredEntry[][] {
  const origin = origins.get(entry);
  const list = origin && resolved(origin.source, origin.pair.value);
  return origin && isSeq(list) ? list.items.map((item) => mapEntriesOf(origin.source, resolved(origin.source, item))) : [];
}

function plainEntryOf(source: Source, { key, value }: Pair): CloudflaredEntry {
  const [keyStart, keyEnd] = offsetsOf(key);
  const missing = isEmptyValue(value);
  const target = resolved(source, value);
  return {
    key: keyName(source, key),
    keyRange: rangeBetween(source, keyStart, keyEnd),
    value: missing ? null : decoded(source, value),
    valueRange: missing
      ? rangeBetween(source, keyEnd, keyEnd)
      : rangeBetween(source, offsetsOf(value)[0], contentEnd(source, value)),
    quoted: isScalar(target) && target.type !== Scalar.PLAIN,
  };
}

/**
 * The pair for `key` as yaml.v3 decodes the map: the map's own pair first, else the first `<<` source that has it
 * (earlier sources win, as in yaml.v3). A duplicate key makes cloudflared refuse the file; the first one is kept.
 */
function findPair(source: Source, map: YAMLMap, key: string, seen = new Set<YAMLMap>()): Pair | undefined {
  const own = map.items.find((pair) => isPair(pair) && keyName(source, pair.key) === key);
  if (own) return own;
  seen.add(map);
  for (const merged of mergeSources(source, map)) {
    const found = seen.has(merged) ? undefined : findPair(source, merged, key, seen);
    if (found) return found;
  }
  return undefined;
}

/** The maps a `<<: *a` or `<<: [*a, *b]` pair of `map` merges in, in order. */
function mergeSources(source: Source, map: YAMLMap): YAMLMap[] {
  const maps: YAMLMap[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isMergeKey(pair.key)) continue;
    const value = resolved(source, pair.value);
    for (const item of isSeq(value) ? value.items : [value]) {
      const merged = resolved(source, item);
      if (isMap(merged)) maps.push(merged);
    }
  }
  return maps;
}

/** With `merge: true`, `yaml` gives a plain `<<` key a symbol for its value. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function keyName(source: Source, key: unknown): string {
  if (isScalar(key) && typeof key.value === 'string') return key.value;
  // Numbers, booleans, `<<`, aliases and collections used as keys: as written.
  const [start, end] = offsetsOf(key);
  return source.text.slice(start, end);
}

// ---- nodes and offsets ----------------------------------------------------------------------------------------

function resolved(source: Source, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(source.document);
  return isNode(node) ? node : undefined;
}

/** `key:` with nothing after it: `yaml` gives it an empty null scalar at the end of the line. */
function isEmptyValue(value: unknown): boolean {
  if (!isNode(value)) return true;
  const [start, end] = offsetsOf(value);
  return isScalar(value) && value.value === null && start === end;
}

/** The value as `yaml` decodes it; `undefined` where it cannot (an alias to an unknown anchor, alias bombs). */
function decoded(source: Source, node: unknown): unknown {
  if (!isNode(node)) return null;
  try {
    return node.toJS(source.document);
  } catch {
    return undefined;
  }
}

function offsetsOf(node: unknown): Offsets {
  return (isNode(node) && node.range) || [0, 0, 0];
}

/**
 * Offset just past the last character of a node's content. `yaml` ends a block collection after its trailing line
 * break and any comment on its last line, and a block scalar after its line break; this ends at the last value.
 */
function contentEnd(source: Source, node: unknown): number {
  const [start, valueEnd] = offsetsOf(node);
  if (isCollection(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    if (isPair(last)) return isEmptyValue(last.value) ? offsetsOf(last.key)[1] : contentEnd(source, last.value);
    return contentEnd(source, last);
  }
  return trimmedEnd(source, start, valueEnd);
}

/** `end` moved back over trailing whitespace and line breaks, never before `start`. */
function trimmedEnd(source: Source, start: number, end: number): number {
  while (end > start && /\s/.test(source.text[end - 1])) end--;
  return end;
}

/**
 * The LSP range of two offsets. One between the `\r` and `\n` of a line break moves before the `\r`: a column
 * past the end of a line is no position in an editor.
 */
function rangeBetween(source: Source, start: number, end: number): Range {
  const outsideLineBreak = (offset: number) =>
    source.text[offset] === '\n' && source.text[offset - 1] === '\r' ? offset - 1 : offset;
  return source.lines.rangeOf(outsideLineBreak(start), outsideLineBreak(end));
}
