import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { range } from '../../../server/src/core/text';
import { parseCloudflared } from '../../../server/src/parsers/cloudflared/parser';

const TEXT = [
  'warp-routing:',
  '  connectTimeout: 5s',
  'shared: &rules',
  '  - prefix: 10.0.0.0/8',
  '    ports: [80]',
  '  - plain',
  'originRequest:',
  '  access: { required: true }',
  '  ipRules: *rules',
  '',
].join('\n');

test('entriesIn reads the keys of a map the typed view does not list, with ranges', () => {
  const parsed = parseCloudflared(TEXT);
  const warpRouting = parsed.config.topLevel[0];
  assert.deepEqual(parsed.entriesIn(warpRouting).map((e) => [e.key, e.value, e.keyRange, e.valueRange]), [
    ['connectTimeout', '5s', range(1, 2, 1, 16), range(1, 18, 1, 20)],
  ]);
  const access = parsed.config.originRequest[0];
  assert.deepEqual(parsed.entriesIn(access).map((e) => [e.key, e.value]), [['required', true]]);
});

test('itemsIn reads each map of a list, through an alias; other items have no keys', () => {
  const parsed = parseCloudflared(TEXT);
  const ipRules = parsed.config.originRequest[1];
  assert.deepEqual(parsed.itemsIn(ipRules).map((item) => item.map((e) => [e.key, e.keyRange.start.line])), [
    [['prefix', 3], ['ports', 4]],
    [],
  ]);
});

test('values that are no map or list give nothing; an entry is read in the file it came from', () => {
  const parsed = parseCloudflared('tunnel: x\n');
  const tunnel = parsed.config.topLevel[0];
  assert.deepEqual([parsed.entriesIn(tunnel), parsed.itemsIn(tunnel)], [[], []]);
  const other = parseCloudflared(TEXT).config.topLevel[0];
  assert.deepEqual(parsed.entriesIn(other).map((e) => e.valueRange), [range(1, 18, 1, 20)]);
});
