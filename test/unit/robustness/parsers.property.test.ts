/**
 * Property 1 of issue 12: every parser, on any text, returns without throwing, and every range it gives lies
 * inside the document as LSP counts it. Then the large inputs: a 10 MB line, nesting 10,000 deep, 100,000
 * entries, each parsed without exception or stack overflow, in time linear in its size.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { LineIndex, range } from '../../../server/src/core/text';
import { parseCloudflared } from '../../../server/src/parsers/cloudflared/parser';
import { parseCompose, type ComposeFile } from '../../../server/src/parsers/compose/parser';
import { parseNginx } from '../../../server/src/parsers/nginx/parser';
import { parseFpm } from '../../../server/src/parsers/phpfpm/parser';
import { isKnownNginxDirective } from '../../../server/src/reference/nginx';
import {
  anyText, anyUnicodeText, cloudflaredStructured, cloudflaredText, coherentOrigin, composeText, fpmText, linesOf, nginxText, withLineEnds,
} from './arbitraries';
import { fuzzParameters } from './budget';
import { assertRangesInside, cloudflaredRanges, fpmRanges, nginxRanges } from './ranges';
import { assertLinearTime } from './timing';

/** As the engine calls it (`parseNginxText`): known directive names tell where a `;` is missing. */
function parseNginxAsTheEngineDoes(text: string) {
  return parseNginx(text, { isDirectiveName: (name) => isKnownNginxDirective(name, []) });
}

/** A compose file has no ranges; what the model reads of it must have the types it declares. */
function assertComposeShape(parse: ComposeFile): void {
  assert.ok(Array.isArray(parse.services));
  for (const service of parse.services) {
    assert.equal(typeof service.name, 'string');
    for (const field of [service.image, service.command]) assert.ok(field === undefined || typeof field === 'string', `image or command ${String(field)}`);
    for (const volume of service.volumes) assert.ok(typeof volume.source === 'string' && typeof volume.target === 'string', JSON.stringify(volume));
    for (const port of service.ports) assert.ok(Number.isInteger(port.host) && Number.isInteger(port.container), JSON.stringify(port));
  }
}

/**
 * Parses, asserting that the parser wrote no process warning: `yaml` prints its warnings to stderr through
 * `process.emitWarning` unless told not to, and a parser must not write to the CLI's or the server's stderr.
 */
function parseQuietly(parse: (text: string) => unknown, text: string): unknown {
  const warnings: string[] = [];
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error) => warnings.push(String(warning))) as typeof process.emitWarning;
  try {
    const result = parse(text);
    assert.deepEqual(warnings, []);
    return result;
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** A directive's argument values, which an analysis reads, are those of its words, which are made only when asked. */
function assertArgumentValues(parse: ReturnType<typeof parseNginx>): void {
  const pending = [...parse.directives];
  while (pending.length > 0) {
    const directive = pending.pop()!;
    assert.deepEqual(directive.argValues, directive.args.map((arg) => arg.value), directive.name);
    if (directive.block) pending.push(...directive.block.children);
  }
}

interface ParserUnderTest {
  name: string;
  /** The parser, called as the engine calls it. */
  parse: (text: string) => unknown;
  /** Asserts what must hold of any parse of `text`: its ranges inside the text, or for compose its shape. */
  check: (text: string, parse: unknown) => void;
  /** Text of the parser's own format. */
  ownText: fc.Arbitrary<string>;
}

const PARSERS: readonly ParserUnderTest[] = [
  {
    name: 'nginx',
    parse: parseNginxAsTheEngineDoes,
    check: (text, parse) => {
      assertRangesInside(text, nginxRanges(parse as ReturnType<typeof parseNginx>));
      assertArgumentValues(parse as ReturnType<typeof parseNginx>);
    },
    ownText: nginxText,
  },
  {
    name: 'php-fpm',
    parse: parseFpm,
    check: (text, parse) => assertRangesInside(text, fpmRanges(parse as ReturnType<typeof parseFpm>)),
    ownText: fpmText,
  },
  {
    name: 'cloudflared',
    parse: parseCloudflared,
    check: (text, parse) => assertRangesInside(text, cloudflaredRanges(parse as ReturnType<typeof parseCloudflared>)),
    ownText: cloudflaredText,
  },
  {
    name: 'compose',
    parse: parseCompose,
    check: (_, parse) => assertComposeShape(parse as ComposeFile),
    ownText: composeText,
  },
];

/** Cases per property in `npm test` (under a second per parser); `npm run fuzz` runs 50 times as many. */
const CASES = 300;

for (const parser of PARSERS) {
  describe(`${parser.name} parser on arbitrary text`, () => {
    test('any UTF-16 (lone and paired surrogates, NUL, BOM), any line ends: no exception, no warning, every range inside', () => {
      fc.assert(fc.property(withLineEnds(anyUnicodeText(300)), (text) => parser.check(text, parseQuietly(parser.parse, text))), fuzzParameters(CASES));
    });

    test('its own format (token sequences, built configs, damaged examples) and the other formats: no exception, no warning, every range inside', () => {
      const text = fc.oneof({ weight: 3, arbitrary: parser.ownText }, { weight: 1, arbitrary: anyText });
      fc.assert(fc.property(text, (input) => parser.check(input, parseQuietly(parser.parse, input))), fuzzParameters(CASES));
    });
  });
}

// ---- large inputs -------------------------------------------------------------------------------------------------

const TEN_MB = 10 * 1024 * 1024;
const DEEP = 10_000;
const MANY = 100_000;

/** One large input: how to make it at any size, and its full size. */
interface LargeInput {
  name: string;
  make: (size: number) => string;
  size: number;
}

/** The 100,000 entries of the YAML formats cost about 2 s each in `yaml` alone, so each format has one such input. */
const LARGE_INPUTS: Record<string, readonly LargeInput[]> = {
  nginx: [
    { name: 'a 10 MB single line', make: (n) => 'a'.repeat(n), size: TEN_MB },
    { name: 'blocks nested 10,000 deep', make: (n) => 'location / {\n'.repeat(n) + '}\n'.repeat(n), size: DEEP },
    { name: 'blocks opened 10,000 deep and never closed', make: (n) => 'http {'.repeat(n), size: DEEP },
    { name: '100,000 directives', make: (n) => 'proxy_pass http://127.0.0.1:80;\n'.repeat(n), size: MANY },
  ],
  'php-fpm': [
    { name: 'a 10 MB single line', make: (n) => `a = ${'b'.repeat(n)}`, size: TEN_MB },
    { name: 'a value nested 10,000 parentheses deep', make: (n) => `a = ${'('.repeat(n)}1${')'.repeat(n)}`, size: DEEP },
    { name: '100,000 entries', make: (n) => `[www]\n${'pm.max_children = 5\n'.repeat(n)}`, size: MANY },
  ],
  cloudflared: [
    { name: 'a 10 MB single line', make: (n) => `tunnel: ${'a'.repeat(n)}`, size: TEN_MB },
    { name: 'flow sequences nested 10,000 deep', make: (n) => '['.repeat(n) + ']'.repeat(n), size: DEEP },
    { name: 'block sequences nested 10,000 deep', make: (n) => `ingress: ${'- '.repeat(n)}a`, size: DEEP },
    // Regression: `yaml`'s own duplicate-key check, and a search of the tree for each repeated key, made this quadratic
    // (12,500 lines took 47 s); the parser now finds repeats in one pass.
    { name: '100,000 top-level keys, every other one a repeat', make: (n) => linesOf(n, (i) => `key${i >> 1}: ${i}\n`), size: MANY },
  ],
  compose: [
    { name: 'a 10 MB single line', make: (n) => `services: ${'a'.repeat(n)}`, size: TEN_MB },
    { name: 'flow maps nested 10,000 deep', make: (n) => `services: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`, size: DEEP },
    { name: '100,000 services', make: (n) => `services:\n${linesOf(n, (i) => `  s${i}: {}\n`)}`, size: MANY },
  ],
};

for (const parser of PARSERS) {
  describe(`${parser.name} parser on large inputs: no exception, no stack overflow, every range inside, linear time`, () => {
    for (const input of LARGE_INPUTS[parser.name]) {
      test(input.name, (t) => {
        const { input: text, result, summary } = assertLinearTime(`${parser.name}, ${input.name}`, parser.parse, input.make, input.size);
        t.diagnostic(summary);
        parser.check(text, result);
      });
    }
  });
}

// ---- regressions ------------------------------------------------------------------------------------------------

/**
 * Where `yaml`'s own unique-keys check (quadratic, so the parser no longer uses it) finds a repeated key: its offset
 * is the key's, or, after a key with an empty value, the line break before it. Undefined when the text has other
 * YAML errors: then `yaml` checks keys of the nodes it is still recovering, not of the tree the rules read.
 */
function yamlDuplicateKeyStarts(text: string): string[] | undefined {
  const { errors } = parseDocument(text, { merge: true, prettyErrors: false });
  if (errors.some((e) => e.code !== 'DUPLICATE_KEY')) return undefined;
  const lines = new LineIndex(text);
  return errors.map((e) => {
    let offset = e.pos[0];
    while (' \t\r\n'.includes(text.charAt(offset)) && offset < text.length) offset++;
    return JSON.stringify(lines.positionAt(offset));
  });
}

const DUPLICATE_KEY_MESSAGE = 'cloudflared refuses to load a mapping that sets a key twice';

test('cloudflared: in YAML without other errors, repeated keys are found where yaml\'s own unique-keys check finds them', () => {
  const config = fc.oneof(cloudflaredStructured, coherentOrigin.map((origin) => origin.cloudflared));
  // `yaml` reads a lone CR as no line break at all, so only LF and CRLF.
  const twice = fc.tuple(config, fc.boolean()).map(([text, crlf]) => `${text}\n${text}`.replace(/\n/g, crlf ? '\r\n' : '\n'));
  fc.assert(
    fc.property(twice, (text) => {
      const expected = yamlDuplicateKeyStarts(text);
      fc.pre(expected !== undefined);
      const ours = parseCloudflared(text).errors.filter((e) => e.message.endsWith(DUPLICATE_KEY_MESSAGE)).map((e) => JSON.stringify(e.range.start));
      assert.deepEqual(ours.sort(), expected!.sort());
    }),
    fuzzParameters(CASES),
  );
});

test('cloudflared: a key repeated after a key with an empty value is named and marked, not the line break before it (found by the fuzz)', () => {
  for (const lineBreak of ['\n', '\r\n']) {
    const { errors } = parseCloudflared(`tunnel: a${lineBreak}grace-period:${lineBreak}tunnel: b${lineBreak}`);
    assert.deepEqual(errors, [{ message: `Duplicate key "tunnel": ${DUPLICATE_KEY_MESSAGE}`, range: range(2, 0, 2, 6) }]);
  }
});

test('cloudflared and compose: a collection used as a key, or an unknown tag, writes no warning to stderr (found by the fuzz)', () => {
  for (const text of ['tunnel:\n  ? [a]\n  : 1\n', 'services:\n  ? [a]\n  : 1\n', 'services: !custom x\n']) {
    parseQuietly(parseCloudflared, text);
    parseQuietly(parseCompose, text);
  }
});
