import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Finding } from '../../server/src/core/findings';
import { count, summarize, type Reply } from './burst';
import { freePorts } from './free-ports';
import { LogFile } from './log-file';
import { OriginFolder } from './origin-folder';
import { ServiceRefused, type Service } from './processes';
import { applyFix, lintFiles, preferredFix } from './quick-fix';

/** A scenario's origin folder, the free loopback ports it was given by name, and a way to tell the reader. */
export interface Site<Port extends string = string> {
  folder: OriginFolder;
  ports: Record<Port, number>;
  /** A note in the test's output (e.g. what the machine needed to reproduce the failure). */
  note(message: string): void;
}

/** What runs an origin, started in this order, and what its visitors do. */
export interface Origin {
  services: Service[];
  /** The requests that count: the same before and after the fix. */
  traffic(): Promise<Reply[]>;
}

export interface Scenario<Port extends string = string> {
  /** The row in the lab's table. */
  title: string;
  /** The rule the scenario proves. */
  rule: string;
  ports: readonly Port[];
  /** The settings the quick fix needs (server memory, the resolver to insert). */
  settings?(site: Site<Port>): unknown;
  /** Writes the origin's files into the folder. */
  setUp(site: Site<Port>): Origin;
  /** Where the rule must fire: a file of the origin, and text that stands on that line. */
  finding: { file: string; line: string };
  /** What the bad config does. */
  failure: {
    /** What visitors get: a status code, or the error that ended the request. */
    outcome: string;
    /** Text the visitors' page shows. */
    body?: string;
    /** Lines the logs must hold, by log file relative to the origin folder. */
    logs: ReadonlyArray<{ file: string; text: string }>;
    /** Services that refuse to start with the bad config. */
    refused?: readonly string[];
  };
}

/** One row of the table `npm run test:lab` prints, sent from the test as a diagnostic. */
export interface LabRow {
  scenario: string;
  before: string;
  rule: string;
  after: string;
}

export const LAB_ROW_PREFIX = 'lab-row ';

/**
 * The lab: starts the bad origin and proves its failure, finds the rule's finding at the expected
 * line, applies its preferred quick fix to the files, restarts, and proves the same traffic gets no 502.
 * Everything started is stopped and the folder removed, also when an assertion fails.
 */
export async function runScenario<Port extends string>(t: TestContext, scenario: Scenario<Port>): Promise<void> {
  const row: LabRow = { scenario: scenario.title, before: 'not run', rule: 'not checked', after: 'not run' };
  try {
    await withSite(t, scenario, async (site, origin, running) => {
      const logs = scenario.failure.logs.map((log) => new LogFile(site.folder.path(log.file)));
      const logTails = () => logs.map((log) => `--- ${site.folder.relative(log.path)}:\n${log.tail(6)}`).join('\n');

      await startAll(origin.services, running, scenario.failure.refused ?? []);
      const before = await origin.traffic();
      row.before = describe(before);
      const failed = before.filter((reply) => reply.outcome === scenario.failure.outcome);
      assert.ok(failed.length > 0, `the bad config should give ${scenario.failure.outcome}, got ${summarize(before)}\n${logTails()}`);
      const { body } = scenario.failure;
      if (body) assert.ok(failed.some((reply) => reply.body.includes(body)), `visitors should see "${body}", got:\n${failed[0].body}`);
      scenario.failure.logs.forEach((expected, i) => {
        assert.ok(logs[i].text().includes(expected.text), `${expected.file} should say "${expected.text}":\n${logs[i].tail(6)}`);
      });

      let finding: Finding;
      try {
        finding = findingAt(site, scenario);
        row.rule = `${scenario.rule} at ${scenario.finding.file}:${finding.range.start.line + 1}`;
      } catch (error) {
        row.rule = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw error;
      }
      const fix = preferredFix(finding);
      assert.ok(fix, `${scenario.rule} offers no quick fix: ${finding.message}`);
      applyFix(fix);

      await stopAll(running);
      await startAll(origin.services, running, []);
      const after = await origin.traffic();
      row.after = describe(after);
      assert.ok(after.length > 0, 'the fixed origin got no requests');
      assert.equal(count(after, '502'), 0, `the fixed config still gives 502: ${summarize(after)}\n${logTails()}`);
      assert.equal(count(after, '200'), after.length, `every request should succeed after "${fix.title}": ${summarize(after)}\n${logTails()}`);
    });
  } finally {
    t.diagnostic(`${LAB_ROW_PREFIX}${JSON.stringify(row)}`);
  }
}

/** Runs `use` against the scenario's origin with its bad config running, for checks beside the lab's own. */
export function withBadOrigin<Port extends string>(t: TestContext, scenario: Scenario<Port>, use: (site: Site<Port>) => Promise<void>): Promise<void> {
  return withSite(t, scenario, async (site, origin, running) => {
    await startAll(origin.services, running, scenario.failure.refused ?? []);
    await use(site);
  });
}

/** Sets up the scenario's folder, ports and origin for `body`; then stops what runs and removes the folder. */
async function withSite<Port extends string>(
  t: TestContext,
  scenario: Scenario<Port>,
  body: (site: Site<Port>, origin: Origin, running: Service[]) => Promise<void>,
): Promise<void> {
  // php-fpm -R switching pools to www-data, nginx's `user`, a private mount namespace, ports 80 and 443.
  assert.equal(process.getuid?.(), 0, 'the 502 lab runs as root, as nginx and php-fpm masters do');
  const folder = OriginFolder.create(scenario.rule.replace('/', '-'));
  const running: Service[] = [];
  try {
    const site: Site<Port> = { folder, ports: await freePorts(scenario.ports), note: (message) => t.diagnostic(message) };
    await body(site, scenario.setUp(site), running);
  } finally {
    await stopAll(running);
    folder.remove();
  }
}

/** The rule's finding on the expected line; the error says what fired instead. */
function findingAt<Port extends string>(site: Site<Port>, scenario: Scenario<Port>): Finding {
  const { folder } = site;
  const file = folder.path(scenario.finding.file);
  const line = folder.read(scenario.finding.file).split('\n').findIndex((text) => text.includes(scenario.finding.line));
  assert.ok(line >= 0, `no line of ${scenario.finding.file} holds "${scenario.finding.line}"`);
  const { findings, log } = lintFiles(folder.files(), scenario.rule, scenario.settings?.(site) ?? {});
  const found = findings.find((f) => f.file === file && f.range.start.line === line);
  if (found) return found;
  const elsewhere = findings.map((f) => `${folder.relative(f.file)}:${f.range.start.line + 1}`);
  throw new Error(
    elsewhere.length > 0
      ? `${scenario.rule} fired at ${elsewhere.join(', ')}, not at ${scenario.finding.file}:${line + 1}`
      : `${scenario.rule} did not fire (expected at ${scenario.finding.file}:${line + 1})${log.length ? `\n${log.join('\n')}` : ''}`,
  );
}

/** Starts each service in order; exactly the `refusing` ones may refuse. */
async function startAll(services: readonly Service[], running: Service[], refusing: readonly string[]): Promise<void> {
  const refusals: ServiceRefused[] = [];
  for (const service of services) {
    try {
      await service.start();
      running.push(service);
    } catch (error) {
      if (!(error instanceof ServiceRefused)) throw error;
      refusals.push(error);
    }
  }
  const refused = refusals.map((r) => r.service);
  assert.deepEqual(refused, refusing, `services that refused to start: ${refused.join(', ') || 'none'}, expected: ${refusing.join(', ') || 'none'}\n${refusals.map((r) => r.message).join('\n')}`);
}

/** Stops in reverse order of start: the front first, so it does not log the backends going away. */
async function stopAll(running: Service[]): Promise<void> {
  for (const service of running.splice(0).reverse()) await service.stop();
}

/** `18/20`, with the other outcomes beside it: `0/20 (400 ×20)`. */
function describe(replies: readonly Reply[]): string {
  const others = replies.filter((r) => r.outcome !== '502');
  const rest = others.length > 0 ? ` (${summarize(others)})` : '';
  return `${count(replies, '502')}/${replies.length}${rest}`;
}
