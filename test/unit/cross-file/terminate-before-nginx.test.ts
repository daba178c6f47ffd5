import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../server/src/rules/php-fpm/terminate-before-nginx';
import { applyEdits } from '../apply-edits';
import { analyze, brief, workspace } from '../engine-harness';
import { DEBIAN, POOL, SITE, withFile } from './fixtures';

const rules = [rule];
const terminate = (value: string) => withFile(DEBIAN, POOL, (t) => `${t}request_terminate_timeout = ${value}\n`);

test('shorter than nginx\'s default 60s: a warning on the pool line, the fastcgi_pass as related, a fix to 60s', () => {
  const files = terminate('30s');
  const findings = analyze(files, {}, { rules });
  assert.deepEqual(findings.map(brief), [`php-fpm/terminate-before-nginx warning ${POOL}:11:0-11:31`]);
  const [finding] = findings;
  assert.equal(finding.message,
    'request_terminate_timeout = 30s in pool [www] is shorter than nginx\'s fastcgi_read_timeout 60s (nginx\'s default): '
    + 'php-fpm kills a slow request\'s worker first, nginx logs "upstream prematurely closed connection while reading '
    + 'response header from upstream" and answers 502 instead of waiting.');
  assert.deepEqual(finding.related, [{
    file: SITE,
    range: { start: { line: 6, character: 8 }, end: { line: 6, character: 51 } },
    message: 'fastcgi_read_timeout 60s (nginx\'s default) here',
  }]);
  assert.deepEqual(finding.fixes!.map((f) => [f.title, f.isPreferred]), [['Raise request_terminate_timeout to 60s', true]]);
  assert.equal(applyEdits(files[POOL], finding.fixes![0].edits), `${DEBIAN[POOL]}request_terminate_timeout = 60s\n`);
});

test('the longest fastcgi_read_timeout in force wins; a bare number stays bare', () => {
  const files = withFile(terminate('90'), SITE, (t) => t
    .replace('    root /var/www/shop;', '    root /var/www/shop;\n    fastcgi_read_timeout 2m;')
    .replace('        include snippets', '        fastcgi_read_timeout 300s;\n        include snippets'));
  const [finding] = analyze(files, {}, { rules });
  assert.match(finding.message, /^request_terminate_timeout = 90 in pool \[www\] is shorter than nginx's fastcgi_read_timeout 300s:/);
  assert.deepEqual(finding.related!.map((r) => [r.range.start.line, r.message]), [[6, 'fastcgi_read_timeout 300s here']]);
  assert.equal(finding.fixes![0].edits[0].newText, '300');
});

test('no limit, a limit at or above nginx\'s, and pools nginx does not reach are silent', () => {
  assert.deepEqual(analyze(terminate('0'), {}, { rules }), []);
  assert.deepEqual(analyze(terminate('60'), {}, { rules }), []);
  assert.deepEqual(analyze(terminate('1m'), {}, { rules }), []);
  assert.deepEqual(analyze(terminate('2h'), {}, { rules }), []);
  assert.deepEqual(analyze(withFile(terminate('30s'), SITE, (t) => t.replace('php8.2-fpm', 'other')), {}, { rules }), []);
  const { [SITE]: _site, ...withoutNginx } = terminate('30s');
  assert.deepEqual(analyze(withoutNginx, {}, { rules }), [], 'no nginx: the other side is absent');
});

test('through an upstream, and when the nginx file changes the pool\'s finding follows', () => {
  const conf = (timeout: string) => `upstream fpm { server unix:/run/php/php8.2-fpm.sock; }\nserver {\n    fastcgi_read_timeout ${timeout};\n    location / { fastcgi_pass fpm; }\n}\n`;
  const { engine } = workspace({ '/n/conf.d/app.conf': conf('20s'), [POOL]: terminate('30s')[POOL] }, {}, { rules });
  assert.deepEqual(engine.analyze().findings, []);
  engine.setFile('/n/conf.d/app.conf', conf('45s'), 'nginx');
  const findings = engine.analyze().findings;
  assert.deepEqual(findings.map(brief), [`php-fpm/terminate-before-nginx warning ${POOL}:11:0-11:31`]);
  assert.equal(findings[0].related![0].message, 'fastcgi_read_timeout 45s here');
  assert.equal(findings[0].fixes![0].edits[0].newText, '45s');
});
