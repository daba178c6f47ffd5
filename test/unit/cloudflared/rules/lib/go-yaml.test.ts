import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseGoDuration } from '../../../../../server/src/rules/cloudflared/lib/go-duration';
import { cannotUnmarshal, goBool, goScalar } from '../../../../../server/src/rules/cloudflared/lib/go-yaml';

test('plain scalars resolve as yaml.v3 resolves them', () => {
  const cases: Array<[string, string]> = [
    ['', '!!null'], ['~', '!!null'], ['Null', '!!null'], ['true', '!!bool'], ['FALSE', '!!bool'], ['yes', '!!str'], ['on', '!!str'],
    ['30', '!!int'], ['-1', '!!int'], ['+5', '!!int'], ['0x1F', '!!int'], ['0o17', '!!int'], ['0777', '!!int'], ['1_000', '!!int'],
    ['0b101', '!!int'], ['089', '!!float'], ['1.5', '!!float'], ['.5', '!!float'], ['1e3', '!!float'], ['-.inf', '!!float'],
    ['.nan', '!!float'], ['30s', '!!str'], ['1.2.3.4', '!!str'], ['2024-01-01', '!!str'], ['-', '!!str'], ['http://a', '!!str'],
  ];
  for (const [text, tag] of cases) assert.equal(goScalar(text).tag, tag, text);
});

test('a typed bool takes YAML 1.1 spellings too, quoted or not, but not a quoted "true"', () => {
  assert.deepEqual(
    [goBool({ tag: '!!bool', text: 'True' }), goBool({ tag: '!!str', text: 'yes' }), goBool({ tag: '!!str', text: 'Off' }), goBool({ tag: '!!str', text: 'true' })],
    [true, true, false, undefined],
  );
});

test('yaml.v3\'s type error text cuts long values', () => {
  assert.equal(cannotUnmarshal({ tag: '!!int', text: '30' }, 'time.Duration'), 'cannot unmarshal !!int `30` into time.Duration');
  assert.equal(cannotUnmarshal({ tag: '!!str', text: 'http://127.0.0.1' }, 'int'), 'cannot unmarshal !!str `http://...` into int');
  assert.equal(cannotUnmarshal({ tag: '!!map', text: '' }, 'string'), 'cannot unmarshal !!map into string');
});

test('durations read as Go\'s time.ParseDuration reads them', () => {
  const ok: Array<[string, number]> = [
    ['30s', 30], ['0', 0], ['-0', 0], ['+5m', 300], ['1m30s', 90], ['1.5s', 1.5], ['.5s', 0.5], ['5.s', 5], ['500ms', 0.5],
    ['2h45m', 9900], ['-1s', -1], ['1µs', 1e-6], ['1us', 1e-6],
  ];
  for (const [text, seconds] of ok) assert.deepEqual(parseGoDuration(text), { seconds }, text);
  const refused: Array<[string, string]> = [
    ['30', 'time: missing unit in duration "30"'],
    ['.s', 'time: invalid duration ".s"'],
    ['30 s', 'time: unknown unit " s" in duration "30 s"'],
    ['30sec', 'time: unknown unit "sec" in duration "30sec"'],
    ['', 'time: invalid duration ""'],
    ['10000000000h', 'time: invalid duration "10000000000h"'],
    ['s', 'time: invalid duration "s"'],
    ['1h1', 'time: missing unit in duration "1h1"'],
  ];
  for (const [text, error] of refused) assert.deepEqual(parseGoDuration(text), { error }, text);
});
