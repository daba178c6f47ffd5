// Runs the 502 lab (test/lab/) on its own and prints what it proved, one row per scenario:
//   npm run test:lab
// Each scenario starts real nginx, PHP-FPM and Node backends on loopback ports, so the files run one
// at a time: the timing-bound scenarios (a backend restart, a full pool) then have the machine alone.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const LAB = 'out/test/lab';
/** The prefix of the diagnostic each scenario sends with its row (test/lab/scenario.ts). */
const ROW_PREFIX = 'lab-row ';
/** No scenario takes a minute; one that does is stuck, and its test fails. */
const TEST_TIMEOUT_MS = 60_000;

const files = readdirSync(LAB).filter((name) => name.endsWith('.test.js')).sort().map((name) => join(LAB, name));
const rows = [];
let failed = false;
const startedAt = performance.now();

// The rows go to the table; every other event to the usual spec output.
const takeRows = new Transform({
  objectMode: true,
  transform(event, _encoding, done) {
    if (event.type === 'test:diagnostic' && event.data.message.startsWith(ROW_PREFIX)) {
      rows.push(JSON.parse(event.data.message.slice(ROW_PREFIX.length)));
      return done();
    }
    if (event.type === 'test:fail') failed = true;
    done(null, event);
  },
});

const report = run({ files, concurrency: 1, timeout: TEST_TIMEOUT_MS }).pipe(takeRows).pipe(new spec());
report.pipe(process.stdout, { end: false });
report.on('end', () => {
  printTable(rows);
  console.log(`\nlab time: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  process.exitCode = failed || rows.length === 0 ? 1 : 0;
});

function printTable(rows) {
  const header = { scenario: 'scenario', before: '502s before', rule: 'rule found', after: '502s after' };
  const columns = Object.keys(header);
  const widths = columns.map((c) => Math.max(...[header, ...rows].map((row) => row[c].length)));
  const line = (row) => columns.map((c, i) => row[c].padEnd(widths[i])).join(' | ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const row of rows) console.log(line(row));
}
