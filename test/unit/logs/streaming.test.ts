import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { MAX_SAMPLES } from '../../../server/src/logs/grouping';
import { analyzeLogStream, analyzeLogText } from '../../../server/src/logs/log-reader';
import { readFixtureLog } from './fixture-workspace';

const LINES = 200_000;

/** The captured lines of three causes, and a notice that explains nothing. */
const REFUSED = readFixtureLog('refused.error.log').split('\n')[0];
const TOO_BIG = readFixtureLog('login.error.log').split('\n')[0];
const MAX_CHILDREN = readFixtureLog('php8.2-fpm.log').split('\n').find((line) => line.includes('max_children'))!;
const NOTICE = '2026/11/25 13:54:43 [notice] 25329#25329: signal process started';

/**
 * A long log, generated as it is read: the time advances a second every three lines from 00:00:00, each refused
 * request asks a different URL (`/api/users/N?page=N`) and every 1,000th line is a notice.
 */
function* generatedLog(): Generator<string> {
  for (let i = 0; i < LINES; i++) {
    const time = timeAt(i).slice(11);
    const base = i % 1000 === 999 ? NOTICE : [REFUSED, TOO_BIG, MAX_CHILDREN][i % 3];
    const line = base.replace('13:54:43', time).replace('13:54:44', time)
      .replace('/api/users HTTP', `/api/users/${i % 50}?page=${i} HTTP`)
      .replace('/api/users"', `/api/users/${i % 50}?page=${i}"`);
    yield `${line}\n`;
  }
}

/** Line `i`'s time: the day never ends within the log. */
function timeAt(i: number): string {
  return new Date(Date.UTC(2026, 10, 25) + Math.floor(i / 3) * 1000).toISOString().slice(0, 19);
}

/** Bytes cut at odd places: mid-line, mid-\r\n, mid-UTF-8 character. */
async function* chunked(text: Iterable<string>, size: number): AsyncGenerator<Buffer> {
  let pending = Buffer.alloc(0);
  for (const piece of text) {
    pending = Buffer.concat([pending, Buffer.from(piece)]);
    while (pending.length >= size) {
      yield pending.subarray(0, size);
      pending = pending.subarray(size);
    }
  }
  if (pending.length > 0) yield pending;
}

test(`${LINES.toLocaleString('en-US')} lines in one pass: a group per cause, exact counts, bounded samples, progress`, async () => {
  const progress: number[] = [];
  const summary = await analyzeLogStream(chunked(generatedLog(), 65_537), { onProgress: (bytes) => progress.push(bytes) });
  const notices = LINES / 1000;
  const perCause = (LINES - notices) / 3;
  assert.equal(summary.lines, LINES);
  assert.equal(summary.recognised, LINES - notices);
  assert.deepEqual(summary.groups.map((g) => [g.cause.id, g.count]), [
    ['upstream-refused', Math.ceil(perCause)], ['upstream-too-big-header', Math.round(perCause)], ['fpm-max-children-reached', Math.floor(perCause)],
  ].sort((a, b) => Number(b[1]) - Number(a[1])));
  for (const group of summary.groups) assert.ok(group.samples.length <= MAX_SAMPLES, `${group.cause.id} keeps ${group.samples.length} samples`);
  const refused = summary.groups.find((g) => g.cause.id === 'upstream-refused')!;
  // Fifty paths, the query strings aside: only the first eight are kept, most frequent first.
  assert.equal(refused.samples.length, MAX_SAMPLES);
  assert.equal(refused.firstLine, 0);
  assert.equal(refused.first, '2026-11-25T00:00:00');
  assert.equal(refused.last, timeAt(refused.lastLine));
  assert.ok(progress.length > 100 && progress.every((bytes, i) => i === 0 || bytes > progress[i - 1]), 'progress after every chunk, always forward');
});

test('the same log as text, as a stream of strings, and as bytes cut inside a multi-byte character and a \\r\\n', async () => {
  const text = `${REFUSED.replace('/api/users', '/api/caf\u00e9\u{1F600}')}\r\n${TOO_BIG}\r\n${NOTICE}`;
  const fromText = analyzeLogText(text);
  const cut = text.indexOf('\u{1F600}') + 1;
  for (const chunks of [[text], [Buffer.from(text).subarray(0, Buffer.byteLength(text.slice(0, cut)) - 1), Buffer.from(text).subarray(Buffer.byteLength(text.slice(0, cut)) - 1)]]) {
    const streamed = await analyzeLogStream((async function* () { yield* chunks; })());
    assert.deepEqual(streamed, fromText);
  }
  assert.equal(fromText.lines, 3);
  assert.equal(fromText.groups[0].samples[0].event.request, 'GET /api/caf\u00e9\u{1F600} HTTP/1.1');
});

test('cancelled between two chunks: the pass stops and rejects with the signal\'s reason', async () => {
  const controller = new AbortController();
  let chunks = 0;
  await assert.rejects(
    analyzeLogStream(chunked(generatedLog(), 4096), { signal: controller.signal, onProgress: () => ++chunks === 3 && controller.abort() }),
    { name: 'AbortError' },
  );
  assert.equal(chunks, 3);
});

test('a line far longer than any nginx writes is cut, not held whole: its head still tells the cause', () => {
  const huge = `${TOO_BIG}, ${'x'.repeat(5_000_000)}`;
  const summary = analyzeLogText(`${huge}\n${REFUSED}\n`);
  assert.deepEqual(summary.groups.map((g) => g.cause.id).sort(), ['upstream-refused', 'upstream-too-big-header']);
  assert.ok(JSON.stringify(summary).length < 100_000);
});
