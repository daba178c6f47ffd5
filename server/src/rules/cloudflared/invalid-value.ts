import type { Fix, TextEdit } from '../../core/findings';
import type { Rule, RuleContext } from '../../core/rule';
import { closest } from '../../core/suggest';
import type { ParsedFile } from '../../model/workspace';
import type { CloudflaredEntry } from '../../parsers/cloudflared/ast';
import { cloudflaredKey, type CloudflaredKeyLevel, type CloudflaredValueType } from '../../reference/cloudflared';
import { replaceValue } from './lib/edits';
import { parseGoDuration } from './lib/go-duration';
import { cannotUnmarshal, goBool, goNumber, goTagOfDecoded, goValue, type GoTag, type GoValue } from './lib/go-yaml';
import { nestedMaps } from './lib/nested-maps';
import { hasPlaceholder } from './lib/placeholders';
import { writtenOriginRequests } from './lib/origin-request';

/** The Go type of a key read into cloudflared's config structs, where the reference's kind does not say it. */
const STRUCT_FIELD_TYPES: Record<string, string> = {
  'top-level tunnel': 'string',
  'top-level ingress': '[]config.UnvalidatedIngressRule',
  'top-level originRequest': 'config.OriginRequestConfig',
  'top-level warp-routing': 'config.WarpRoutingConfig',
  'ingress-rule originRequest': 'config.OriginRequestConfig',
  'originRequest proxyPort': 'uint',
  'originRequest ipRules': '[]config.IngressIPRule',
  'originRequest access': 'config.AccessConfig',
  'warp-routing maxActiveFlows': 'uint64',
  'ipRule ports': '[]int',
};
const TYPE_OF_KIND: Record<CloudflaredValueType, string> = {
  duration: 'time.Duration', boolean: 'bool', integer: 'int', string: 'string', list: '[]string', map: 'map',
};
/** `%T` of what yaml.v3 puts in the map of top-level settings. */
const GO_TYPE_NAMES: Record<GoTag, string> = {
  '!!null': '<nil>', '!!bool': 'bool', '!!int': 'int', '!!float': 'float64', '!!str': 'string', '!!seq': '[]interface {}', '!!map': 'map[string]interface {}',
};
const PROTOCOLS = ['auto', 'quic', 'http2'];
const AVAILABLE_PROTOCOLS = "Available protocols: 'auto' - automatically chooses the best protocol over time (the default; and " +
  "also the recommended one); 'quic' - based on QUIC, relying on UDP egress to Cloudflare edge; 'http2' - using Go's HTTP2 " +
  'library, relying on TCP egress to Cloudflare edge';

interface Problem {
  message: string;
  fix?: { title: string; text: string };
}

export const rule: Rule = {
  id: 'cloudflared/invalid-value',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'A value of the wrong type, or without its unit',
  docs: `Reports a value that cloudflared cannot read into its setting:

- a duration that is not a Go duration string: \`connectTimeout: 30\` (a bare number, even \`0\`), \`"30"\`,
  \`30 sec\`. Write \`30s\`, \`1m30s\`, \`500ms\`, \`2h\`;
- a boolean that is not one: \`noTLSVerify: "true"\` (quoted), \`maybe\`;
- a number that is not one: \`keepAliveConnections: "100"\`, a negative \`proxyPort\`;
- a list or map where a single value belongs, or the other way round (\`audTag: x\` instead of \`[x]\`);
- at the top level, where cloudflared reads command-line flags from the file, a value whose YAML type is not the
  flag's: \`edge-ip-version: 4\` needs \`"4"\`, \`no-autoupdate: yes\` needs \`true\`, an empty \`logfile:\` is not a
  string either;
- \`protocol\` other than \`auto\`, \`quic\` or \`http2\`.

**At runtime:** cloudflared refuses to start. A wrong type in \`ingress\`, \`originRequest\` or \`warp-routing\`
stops the whole file from loading (\`\` error parsing YAML in config file at …: cannot unmarshal !!int \`30\` into
time.Duration \`\`); a top-level flag of the wrong type stops the command (\`expected string found int for
edge-ip-version\`). No connector comes up, and Cloudflare answers every hostname of the tunnel with an error page.

**What to change:** write the value as the setting's type wants it. The quick fixes add the unit \`s\` to a bare
number of seconds, quote or unquote the value, or pick the protocol you meant. Keys set twice are reported by
\`cloudflared/yaml-syntax\` and unknown keys by \`cloudflared/unknown-key\`.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { config } = file.parse;
      for (const entry of config.topLevel) {
        const key = cloudflaredKey('top-level', entry.key);
        if (!key) continue;
        const structType = STRUCT_FIELD_TYPES[`top-level ${entry.key}`];
        check(ctx, file, entry, (value) => (structType ? fieldProblem(value, structType) : flagProblem(entry, value, key.type)));
      }
      const items = config.ingressEntry?.value;
      for (const rule of config.ingress) {
        const item: unknown = Array.isArray(items) ? items[rule.index] : null;
        if (item !== null && (typeof item !== 'object' || Array.isArray(item))) {
          const value = { tag: goTagOfDecoded(item), text: Array.isArray(item) ? '' : String(item) };
          ctx.report({ file: file.id, range: rule.range, message: loadFailure(cannotUnmarshal(value, 'config.UnvalidatedIngressRule')) });
        }
        checkFields(ctx, file, 'ingress-rule', rule.entries);
      }
      for (const entries of writtenOriginRequests(config)) checkFields(ctx, file, 'originRequest', entries);
      for (const { level, entries } of nestedMaps(file.parse)) checkFields(ctx, file, level, entries);
    }
  },
};

/** Keys read into a Go struct: yaml.v3's typed decoding decides. */
function checkFields(ctx: RuleContext, file: ParsedFile<unknown>, level: CloudflaredKeyLevel, entries: CloudflaredEntry[]): void {
  for (const entry of entries) {
    const key = cloudflaredKey(level, entry.key);
    // A deprecated key of a struct level is a field Go no longer has, so it is not decoded at all.
    if (!key || key.deprecated) continue;
    const goType = STRUCT_FIELD_TYPES[`${level} ${entry.key}`] ?? TYPE_OF_KIND[key.type];
    check(ctx, file, entry, (value) => fieldProblem(value, goType) ?? elementProblem(entry, goType));
  }
}

function check(ctx: RuleContext, file: ParsedFile<unknown>, entry: CloudflaredEntry, problemOf: (value: GoValue) => Problem | undefined): void {
  const value = goValue(file, entry);
  const problem = value && !hasPlaceholder(value.text) && problemOf(value);
  if (!value || !problem) return;
  const edit: TextEdit | undefined = problem.fix && replaceValue(file, entry, problem.fix.text);
  const fixes: Fix[] = edit && problem.fix ? [{ title: problem.fix.title, isPreferred: true, edits: [edit] }] : [];
  ctx.report({
    file: file.id,
    range: value.tag === '!!null' ? entry.keyRange : entry.valueRange,
    message: problem.message,
    ...(fixes.length > 0 ? { fixes } : {}),
  });
}

/** yaml.v3 decoding into a typed field: null is always the zero value. */
function fieldProblem(value: GoValue, goType: string): Problem | undefined {
  if (value.tag === '!!null' || accepts(value, goType)) return undefined;
  const message = loadFailure(cannotUnmarshal(value, goType));
  if (goType === 'time.Duration') return durationProblem(value, message);
  if (goType === 'bool' && /^(true|false)$/i.test(value.text)) return changeTo(message, value.text.toLowerCase());
  if ((goType === 'int' || goType.startsWith('uint')) && /^[0-9]+$/.test(value.text)) return changeTo(message, value.text);
  return { message };
}

function accepts(value: GoValue, goType: string): boolean {
  const number = value.tag === '!!int' || value.tag === '!!float';
  switch (goType) {
    case 'time.Duration':
      return value.tag === '!!str' && 'seconds' in parseGoDuration(value.text);
    case 'bool':
      return goBool(value) !== undefined;
    case 'int':
      return number;
    case 'uint':
    case 'uint64':
      return number && goNumber(value.text) >= 0;
    case 'string':
      return value.tag !== '!!seq' && value.tag !== '!!map';
    default:
      return value.tag === (goType.startsWith('[]') ? '!!seq' : '!!map');
  }
}

/** The items of a list field (`ports`, `ipRules`, `audTag`), read one by one into the element type. */
function elementProblem(entry: CloudflaredEntry, goType: string): Problem | undefined {
  if (!goType.startsWith('[]') || !Array.isArray(entry.value)) return undefined;
  const elementType = goType.slice(2);
  for (const item of entry.value) {
    const tag = goTagOfDecoded(item);
    const value = { tag, text: tag === '!!seq' || tag === '!!map' ? '' : String(item) };
    if (tag !== '!!null' && !accepts(value, elementType)) return { message: loadFailure(cannotUnmarshal(value, elementType)) };
  }
  return undefined;
}

/** A top-level key is a command-line flag that urfave/cli's altsrc reads from the file's map, with strict types. */
function flagProblem(entry: CloudflaredEntry, value: GoValue, kind: CloudflaredValueType): Problem | undefined {
  const found = `found ${GO_TYPE_NAMES[value.tag]} for ${entry.key}`;
  switch (kind) {
    case 'string':
      if (value.tag !== '!!str') return quoted(startFailure(`expected string ${found}`), value);
      return entry.key === 'protocol' ? protocolProblem(value.text) : undefined;
    case 'boolean': {
      if (value.tag === '!!bool') return undefined;
      // `yes`, `on` and a quoted "true" are what was meant, but the flag takes only a YAML boolean.
      const meant = goBool(value) ?? (/^(true|false)$/i.test(value.text) ? value.text.toLowerCase() === 'true' : undefined);
      return changeTo(startFailure(`expected boolean ${found}`), meant === undefined ? undefined : String(meant));
    }
    case 'integer':
      if (value.tag === '!!int') return undefined;
      return changeTo(startFailure(`expected int ${found}`), value.tag === '!!str' && /^[0-9]+$/.test(value.text) ? value.text : undefined);
    case 'duration': {
      if (value.tag !== '!!str') return durationProblem(value, startFailure(`expected duration ${found}`));
      const parsed = parseGoDuration(value.text);
      return 'error' in parsed ? durationProblem(value, startFailure(parsed.error)) : undefined;
    }
    case 'list': {
      if (value.tag !== '!!seq') return { message: startFailure(`expected string slice ${found}`) };
      const bad = (entry.value as unknown[]).find((item) => typeof item !== 'string');
      return bad === undefined ? undefined : { message: startFailure(`expected string, found ${GO_TYPE_NAMES[goTagOfDecoded(bad)]} for ${String(bad)}`) };
    }
    default:
      return undefined;
  }
}

function protocolProblem(protocol: string): Problem | undefined {
  // `h2mux` is still accepted, and upgraded to http2 with a warning.
  if (PROTOCOLS.includes(protocol) || protocol === 'h2mux') return undefined;
  return changeTo(startFailure(`unknown protocol ${protocol}, ${AVAILABLE_PROTOCOLS}`), closest(protocol, PROTOCOLS)[0]);
}

/** A bare number is seconds to most people; Go wants the unit. */
function durationProblem(value: GoValue, message: string): Problem {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value.text)) return { message: `${message}. A duration is written with its unit: \`30s\`, \`1m30s\`, \`500ms\`` };
  const text = `${value.text}s`;
  return { message: `${message}. A duration needs its unit: \`${text}\``, fix: { title: `Add the unit: \`${text}\``, text } };
}

function changeTo(message: string, text: string | undefined): Problem {
  return text === undefined ? { message } : { message, fix: { title: `Change to \`${text}\``, text } };
}

function quoted(message: string, value: GoValue): Problem {
  if (value.tag === '!!null' || value.tag === '!!seq' || value.tag === '!!map') return { message };
  const text = JSON.stringify(value.text);
  return { message, fix: { title: `Quote it: \`${text}\``, text } };
}

function loadFailure(goError: string): string {
  return `${goError}: cloudflared refuses to load the config file`;
}

function startFailure(goError: string): string {
  return `${goError}: cloudflared refuses to start`;
}
