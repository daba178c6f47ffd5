import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Fix, TextEdit } from '../../../server/src/core/findings';
import type { Rule } from '../../../server/src/core/rule';
import type { NginxNode } from '../../../server/src/model/nginx-tree';
import { forEachNginxNode } from '../../../server/src/model/nginx-walk';
import { ALL_RULES } from '../../../server/src/rules';
import { workspace } from '../engine-harness';
import { checkAllFixes, FixTally } from './fix-properties';

/** The property checker itself: each kind of broken fix, offered by a rule made up here, is caught with its reason. */

const CONF = '/t/nginx.conf';
const TEXT = 'worker_processes 1;\nevents {}\n';

/** A rule that flags `worker_processes 1` with the fix `fix` builds for that line. */
function ruleWithFix(fix: (node: NginxNode) => TextEdit[]): Rule {
  return {
    id: 'test/made-up', format: 'nginx', defaultSeverity: 'warning', title: 'made up', docs: '',
    check(ctx) {
      forEachNginxNode(ctx.model, (node) => {
        const arg = node.directive.args[0];
        if (node.directive.name !== 'worker_processes' || arg?.value !== '1') return;
        const fixes: Fix[] = [{ title: 'Fix it', edits: fix(node) }];
        ctx.report({ file: node.file.id, range: arg.range, message: 'one worker', fixes });
      });
    },
  };
}

/** Checks the fixes of every rule and of the made-up one (nginx/worker-capacity flags the line too, with a good fix). */
function check(fix: (node: NginxNode) => TextEdit[], text = TEXT): FixTally {
  const tally = new FixTally();
  checkAllFixes(workspace({ [CONF]: text }, {}, { rules: [...ALL_RULES, ruleWithFix(fix)] }).engine, tally);
  return tally;
}

const at = (line: number, start: number, end = start) => ({ start: { line, character: start }, end: { line, character: end } });

test('a fix that resolves its finding passes, counted by rule and outcome', () => {
  const tally = check((node) => [{ file: CONF, range: node.directive.args[0].range, newText: 'auto' }]);
  assert.deepEqual(tally.fixesByRule(), { 'nginx/worker-capacity': 1, 'test/made-up': 1 });
  assert.equal(tally.table(), [
    '  nginx/worker-capacity: 1 fixes (resolved 1, offered again as a no-op 0, still reported 0)',
    '  test/made-up: 1 fixes (resolved 1, offered again as a no-op 0, still reported 0)',
  ].join('\n'));
  assert.equal(tally.suppressions, 2);
});

test('(c) overlapping edits, and an edit outside the document, fail', () => {
  assert.throws(() => check(() => [{ file: CONF, range: at(0, 17, 18), newText: 'auto' }, { file: CONF, range: at(0, 16, 18), newText: '' }]), /has overlapping edits in \/t\/nginx\.conf/);
  assert.throws(() => check(() => [{ file: CONF, range: at(0, 40), newText: 'x' }]), /an edit in \/t\/nginx\.conf: range 0:40-0:40: column outside line 0/);
});

test('(a) a fix that adds a syntax error, or puts a directive where nginx refuses it, fails', () => {
  assert.throws(() => check((node) => [{ file: CONF, range: node.directive.args[0].range, newText: 'auto {' }]), /the fix adds a load error: nginx\/syntax/);
  assert.throws(() => check((node) => [{ file: CONF, range: node.directive.args[0].range, newText: 'auto; proxy_pass http://a' }]),
    /the fix adds a load error: nginx\/directive-not-allowed-here .* "proxy_pass" directive is not allowed here/);
});

test('(b) a fix that leaves its finding fails: applied twice, it would insert twice', () => {
  assert.throws(() => check((node) => [{ file: CONF, range: { start: node.directive.range.end, end: node.directive.range.end }, newText: ' # one' }]),
    /the fix leaves its finding: one worker/);
});

test('a fix that changes no text, or writes a bare LF into a CRLF file, fails', () => {
  assert.throws(() => check((node) => [{ file: CONF, range: node.directive.args[0].range, newText: '1' }]), /the fix changes no text/);
  assert.throws(() => check((node) => [{ file: CONF, range: node.directive.args[0].range, newText: 'auto;\nevents {}' }], TEXT.replace(/\n/g, '\r\n')),
    /writes a bare LF into \/t\/nginx\.conf/);
});
