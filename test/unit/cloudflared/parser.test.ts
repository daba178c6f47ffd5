import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { CloudflaredEntry } from '../../../server/src/parsers/cloudflared/ast';
import { looksLikeCloudflaredConfig, parseCloudflared } from '../../../server/src/parsers/cloudflared/parser';
import { range, type Range } from '../../../server/src/core/text';
import { assertRangesInside } from './ranges';

const CONFIG = [
  'tunnel: 6ff42ae2',
  'credentials-file: /c.json',
  'originRequest:',
  '  connectTimeout: 30s',
  'ingress:',
  '  - hostname: "*.example.com"',
  '    path: \\.(jpg|png)$',
  '    service: http://localhost:8000 # web',
  '    originRequest:',
  '      noTLSVerify: true',
  '  - service: http_status:404',
  '',
];

function entry(key: string, keyRange: Range, value: unknown, valueRange: Range, quoted = false): CloudflaredEntry {
  return { key, keyRange, value, valueRange, quoted };
}

/** The key, value and both ranges of each entry, for compact comparisons. */
function brief(entries: CloudflaredEntry[]): string[] {
  const at = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  return entries.map((e) => `${e.key}@${at(e.keyRange)}=${JSON.stringify(e.value)}@${at(e.valueRange)}${e.quoted ? ' quoted' : ''}`);
}

describe('parseCloudflared: the typed view', () => {
  const parsed = parseCloudflared(CONFIG.join('\n'));

  test('a clean config has no errors or warnings', () => {
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.warnings, []);
  });

  test('top-level keys and values with exact ranges, in order', () => {
    assert.deepEqual(brief(parsed.config.topLevel), [
      'tunnel@0:0-0:6="6ff42ae2"@0:8-0:16',
      'credentials-file@1:0-1:16="/c.json"@1:18-1:25',
      'originRequest@2:0-2:13={"connectTimeout":"30s"}@3:2-3:21',
      `ingress@4:0-4:7=${JSON.stringify([
        { hostname: '*.example.com', path: '\\.(jpg|png)$', service: 'http://localhost:8000', originRequest: { noTLSVerify: true } },
        { service: 'http_status:404' },
      ])}@5:2-10:28`,
    ]);
    assert.deepEqual(parsed.config.ingressEntry, parsed.config.topLevel[3]);
  });

  test('top-level originRequest keys', () => {
    assert.deepEqual(parsed.config.originRequest, [entry('connectTimeout', range(3, 2, 3, 16), '30s', range(3, 18, 3, 21))]);
  });

  test('each ingress rule runs from its `-` to its last value, trailing comments left out', () => {
    const [first, second] = parsed.config.ingress;
    assert.equal(parsed.config.ingress.length, 2);
    assert.deepEqual([first.index, first.range], [0, range(5, 2, 9, 23)]);
    assert.deepEqual([second.index, second.range], [1, range(10, 2, 10, 28)]);
  });

  test('rule fields, their originRequest and the quoted flag', () => {
    const [first, second] = parsed.config.ingress;
    assert.deepEqual(first.hostname, entry('hostname', range(5, 4, 5, 12), '*.example.com', range(5, 14, 5, 29), true));
    assert.deepEqual(first.path, entry('path', range(6, 4, 6, 8), '\\.(jpg|png)$', range(6, 10, 6, 22)));
    assert.deepEqual(first.service, entry('service', range(7, 4, 7, 11), 'http://localhost:8000', range(7, 13, 7, 34)));
    assert.deepEqual(first.originRequestEntry, entry('originRequest', range(8, 4, 8, 17), { noTLSVerify: true }, range(9, 6, 9, 23)));
    assert.deepEqual(first.originRequest, [entry('noTLSVerify', range(9, 6, 9, 17), true, range(9, 19, 9, 23))]);
    assert.deepEqual(first.entries.map((e) => e.key), ['hostname', 'path', 'service', 'originRequest']);
    assert.deepEqual(second.service, entry('service', range(10, 4, 10, 11), 'http_status:404', range(10, 13, 10, 28)));
    assert.deepEqual([second.hostname, second.path, second.originRequestEntry, second.originRequest], [undefined, undefined, undefined, []]);
  });

  test('quoted means written as a string: double, single or block scalar, also through an alias', () => {
    const { topLevel } = parseCloudflared("a: 30\nb: \"30\"\nc: '30'\nd: |\n  30\ne: &t 'yes'\nf: *t\ng: yes\n").config;
    assert.deepEqual(topLevel.map((e) => [e.key, e.value, e.quoted]), [
      ['a', 30, false],
      ['b', '30', true],
      ['c', '30', true],
      ['d', '30\n', true],
      ['e', 'yes', true],
      ['f', 'yes', true],
      ['g', 'yes', false],
    ]);
    assert.deepEqual(topLevel[3].valueRange, range(3, 3, 4, 4), 'the block scalar ends at its last character');
    assert.deepEqual(topLevel[5].valueRange, range(6, 3, 6, 5), 'an alias value is the range of the alias');
  });

  test('a missing value is null, with an empty range at the end of its key', () => {
    const [rule] = parseCloudflared('ingress:\n  - hostname:\n    service: x\n').config.ingress;
    assert.deepEqual(rule.hostname, entry('hostname', range(1, 4, 1, 12), null, range(1, 12, 1, 12)));
    assert.deepEqual(rule.range, range(1, 2, 2, 14));
  });

  test('a rule whose last key has no value ends at that key', () => {
    const [rule] = parseCloudflared('ingress:\n  - service: x\n    path:\n').config.ingress;
    assert.deepEqual(rule.range, range(1, 2, 2, 8));
  });

  test('rangeOf maps a node range and leaves out the trailing line break', () => {
    const ingress = parsed.document.get('ingress', true) as { range: [number, number, number] };
    assert.deepEqual(parsed.rangeOf(ingress.range), range(5, 2, 10, 28));
    assert.deepEqual(parsed.rangeOf(undefined), range(0, 0, 0, 0));
  });
});

describe('parseCloudflared: line breaks and characters', () => {
  test('CRLF gives the same lines and columns as LF', () => {
    const lf = parseCloudflared(CONFIG.join('\n'));
    const crlf = parseCloudflared(CONFIG.join('\r\n'));
    assert.deepEqual(crlf.config, lf.config);
    assert.deepEqual(crlf.errors, []);
    assert.deepEqual(crlf.config.topLevel[0].valueRange, range(0, 8, 0, 16));
  });

  test('columns count UTF-16 code units (an emoji is two)', () => {
    const text = 'ingress:\n  - hostname: 😀.ñandú.com\n    service: http://ü:80\n  - {hostname: 😀.io, service: http://a}\n';
    const [first, second] = parseCloudflared(text).config.ingress;
    assert.deepEqual(first.hostname?.valueRange, range(1, 14, 1, 26));
    assert.deepEqual(first.service?.valueRange, range(2, 13, 2, 24));
    assert.equal(first.hostname?.value, '😀.ñandú.com');
    assert.deepEqual(second.hostname?.valueRange, range(3, 15, 3, 20));
    assert.deepEqual(second.service?.keyRange, range(3, 22, 3, 29));
    assert.deepEqual(second.service?.valueRange, range(3, 31, 3, 39));
    assert.deepEqual(second.range, range(3, 2, 3, 40));
  });
});

describe('parseCloudflared: any shape, no throw', () => {
  const empty = { topLevel: [], ingress: [], originRequest: [] };

  for (const [name, text] of [
    ['an empty file', ''],
    ['only a comment', '# nothing here\n'],
    ['a scalar root', 'just a string\n'],
    ['a list root', '- tunnel: x\n'],
  ]) {
    test(`${name} gives an empty view`, () => {
      const parsed = parseCloudflared(text);
      assert.deepEqual(parsed.config, empty);
      assert.deepEqual(parsed.errors, []);
    });
  }

  test('ingress that is not a list keeps its entry but has no rules', () => {
    for (const text of ['ingress: 3\n', 'ingress:\n  service: x\n', 'ingress:\n']) {
      const { config } = parseCloudflared(text);
      assert.equal(config.ingressEntry?.key, 'ingress', text);
      assert.deepEqual(config.ingress, [], text);
    }
    assert.deepEqual(parseCloudflared('ingress:\n').config.ingressEntry?.valueRange, range(0, 7, 0, 7));
  });

  test('list items that are not maps are rules without keys, so indexes stay true', () => {
    const { ingress } = parseCloudflared('ingress:\n  - plain\n  -\n  - [a]\n  - service: x\n').config;
    assert.deepEqual(ingress.map((r) => [r.index, r.range, r.entries.length, r.service?.value]), [
      [0, range(1, 2, 1, 9), 0, undefined],
      [1, range(2, 2, 2, 3), 0, undefined],
      [2, range(3, 2, 3, 7), 0, undefined],
      [3, range(4, 2, 4, 14), 1, 'x'],
    ]);
  });

  test('a flow-style ingress list: rules start at their `{`', () => {
    const { ingress } = parseCloudflared('ingress: [{service: a}, {hostname: b, service: c}]\n').config;
    assert.deepEqual(ingress.map((r) => [r.range, r.hostname?.value, r.service?.value]), [
      [range(0, 10, 0, 22), undefined, 'a'],
      [range(0, 24, 0, 49), 'b', 'c'],
    ]);
  });

  test('an originRequest that is not a map keeps its entry but has no keys', () => {
    const [rule] = parseCloudflared('ingress:\n  - service: x\n    originRequest: nope\n').config.ingress;
    assert.equal(rule.originRequestEntry?.value, 'nope');
    assert.deepEqual(rule.originRequest, []);
  });

  test('keys that are not strings are named as written', () => {
    const { topLevel } = parseCloudflared('80: a\ntrue: b\n1.0: c\n? [x]\n: d\n: e\n').config;
    assert.deepEqual(topLevel.map((e) => e.key), ['80', 'true', '1.0', '[x]', '']);
  });

  test('anchors, aliases and `<<` merges resolve as cloudflared (yaml.v3) reads them', () => {
    const text = [
      'defaults: &web',
      '  service: &svc https://envoy:443',
      '  originRequest:',
      '    originServerName: example.com',
      'ingress:',
      '  - <<: *web',
      '    hostname: a.example.com',
      '  - hostname: b.example.com',
      '    service: *svc',
      '  - *web',
      '',
    ].join('\n');
    const { ingress } = parseCloudflared(text).config;
    const [merged, aliased, whole] = ingress;
    assert.deepEqual(merged.entries.map((e) => e.key), ['<<', 'hostname']);
    assert.deepEqual(merged.service, entry('service', range(1, 2, 1, 9), 'https://envoy:443', range(1, 16, 1, 33)));
    assert.deepEqual(brief(merged.originRequest), ['originServerName@3:4-3:20="example.com"@3:22-3:33']);
    assert.equal(merged.hostname?.value, 'a.example.com');
    assert.deepEqual(aliased.service, entry('service', range(8, 4, 8, 11), 'https://envoy:443', range(8, 13, 8, 17)));
    assert.deepEqual([whole.range, whole.service?.value, whole.hostname], [range(9, 2, 9, 8), 'https://envoy:443', undefined]);
  });

  test('a rule\'s own key wins over a merged one, and earlier merge sources over later ones', () => {
    const text = 'a: &a {service: one, path: /a}\nb: &b {service: two, hostname: b}\ningress:\n  - <<: [*a, *b]\n    path: /own\n';
    const [rule] = parseCloudflared(text).config.ingress;
    assert.deepEqual([rule.service?.value, rule.hostname?.value, rule.path?.value], ['one', 'b', '/own']);
  });

  test('a merge that refers back to its own map does not loop', () => {
    const parsed = parseCloudflared('ingress:\n  - &r\n    <<: *r\n    service: x\n');
    assert.equal(parsed.config.ingress.length, 1);
  });

  test('mangled versions of a real config never throw and keep every range inside the text', () => {
    for (const base of [CONFIG.join('\n'), CONFIG.join('\r\n')]) {
      // Deterministic edits: drop, double or replace one character at every position.
      const variants = [...base].flatMap((ch, i) => [
        base.slice(0, i) + base.slice(i + 1),
        base.slice(0, i) + ch + base.slice(i),
        base.slice(0, i) + ['"', '\t', ':', '-', '[', '*', '&', '{', '#', '\''][i % 10] + base.slice(i + 1),
      ]);
      for (const text of variants) assertRangesInside(text, parseCloudflared(text));
    }
  });
});

describe('parseCloudflared: problems', () => {
  test('an unclosed quote is an error where the closing quote is missing', () => {
    const { errors } = parseCloudflared('tunnel: "abc\ningress: []\n');
    assert.deepEqual(errors, [{ message: 'Invalid YAML: Missing closing "quote', range: range(2, 0, 2, 0) }]);
  });

  test('a tab used for indentation is an error on the tab', () => {
    const { errors } = parseCloudflared('ingress:\n\t- service: x\n');
    assert.deepEqual(errors, [{ message: 'Invalid YAML: Tabs are not allowed as indentation', range: range(1, 0, 1, 1) }]);
  });

  test('duplicate keys stay errors on the whole repeated key, and both stay in the view', () => {
    const parsed = parseCloudflared('originRequest:\n  connectTimeout: 1s\n  "connectTimeout": 2s\n');
    assert.deepEqual(parsed.errors, [{
      message: 'Duplicate key "connectTimeout": cloudflared refuses to load a mapping that sets a key twice',
      range: range(2, 2, 2, 18),
    }]);
    assert.deepEqual(parsed.config.originRequest.map((e) => e.value), ['1s', '2s']);
  });

  test('the first of duplicate rule keys is the one the view names', () => {
    const [rule] = parseCloudflared('ingress:\n  - service: a\n    service: b\n').config.ingress;
    assert.equal(rule.service?.value, 'a');
    assert.equal(rule.entries.length, 2);
  });

  test('an alias to an unknown anchor is an error on the alias; its value is undefined', () => {
    const parsed = parseCloudflared('ingress:\n  - hostname: *.example.com\n    service: http://a\n');
    assert.deepEqual(parsed.errors.map((e) => e.range), [range(1, 14, 1, 27)]);
    assert.match(parsed.errors[0].message, /quote a wildcard hostname: "\*\.example\.com"$/);
    assert.equal(parsed.config.ingress[0].hostname?.value, undefined);
  });

  test('a second document is a warning over the ignored part, not an error', () => {
    const parsed = parseCloudflared('tunnel: x\n---\ningress: []\n');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.warnings.map((w) => w.range), [range(1, 0, 3, 0)]);
    assert.deepEqual(parsed.config.topLevel.map((e) => e.key), ['tunnel']);
  });

  test('positions of errors on CRLF lines', () => {
    const { errors } = parseCloudflared('tunnel: x\r\n  credentials-file: y\r\n');
    assert.deepEqual(errors.map((e) => [e.message, e.range]), [
      ['Invalid YAML: Nested mappings are not allowed in compact mappings', range(0, 8, 0, 9)],
      ['Invalid YAML: Implicit keys need to be on a single line', range(0, 8, 1, 18)],
    ]);
  });
});

describe('looksLikeCloudflaredConfig', () => {
  test('a top-level map with `tunnel:` or `ingress:` is a cloudflared config', () => {
    assert.equal(looksLikeCloudflaredConfig('tunnel: x\n'), true);
    assert.equal(looksLikeCloudflaredConfig('---\noriginRequest: {}\ningress: []\n'), true);
    assert.equal(looksLikeCloudflaredConfig(parseCloudflared(CONFIG.join('\n'))), true);
  });

  test('anything else is not', () => {
    for (const text of ['', 'services:\n  web: {}\n', '- tunnel: x\n', 'spec:\n  tunnel: x\n', 'tunnel\n']) {
      assert.equal(looksLikeCloudflaredConfig(text), false, JSON.stringify(text));
    }
  });
});
