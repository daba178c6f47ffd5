import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../server/src/rules/nginx/fastcgi-target-mismatch';
import { applyEdits } from '../apply-edits';
import { analyze, brief, workspace } from '../engine-harness';
import { CONTAINERS, DEBIAN, POOL, SITE, withFile } from './fixtures';

const rules = [rule];
const site = (pass: string) => `server {\n    listen 80;\n    location ~ \\.php$ { fastcgi_pass ${pass}; }\n}\n`;
const pool = (listen: string, name = 'www') => `[${name}]\nuser = www-data\nlisten = ${listen}\npm = static\npm.max_children = 4\n`;
const pair = (pass: string, listen: string) => analyze({ '/n/sites-enabled/a.conf': site(pass), '/p/pool.d/www.conf': pool(listen) }, {}, { rules });

test('the Debian layout passes to its pool: nothing to say', () => {
  assert.deepEqual(analyze(DEBIAN, {}, { rules }), []);
});

test('a socket left over from an older PHP is an error on the argument, with the pool as related and fix', () => {
  const files = withFile(DEBIAN, SITE, (t) => t.replace('php8.2-fpm', 'php7.4-fpm'));
  const findings = analyze(files, {}, { rules });
  assert.deepEqual(findings.map(brief), [`nginx/fastcgi-target-mismatch error ${SITE}:6:21-6:50`]);
  const [finding] = findings;
  assert.equal(finding.message,
    'unix:/run/php/php7.4-fpm.sock: no PHP-FPM pool listens. nginx logs "connect() to unix:/run/php/php7.4-fpm.sock failed '
    + '(2: No such file or directory) while connecting to upstream" and answers 502 to every PHP request. '
    + 'Pools in this workspace: [www] on /run/php/php8.2-fpm.sock.');
  assert.deepEqual(finding.related, [{
    file: POOL,
    range: { start: { line: 3, character: 9 }, end: { line: 3, character: 33 } },
    message: 'pool [www] listens on /run/php/php8.2-fpm.sock',
  }]);
  assert.equal(finding.fixes?.length, 1);
  assert.equal(finding.fixes![0].title, 'Pass to pool [www] (unix:/run/php/php8.2-fpm.sock)');
  assert.equal(finding.fixes![0].isPreferred, true);
  assert.equal(applyEdits(files[SITE], finding.fixes![0].edits), DEBIAN[SITE]);
});

test('editing the pool updates the finding in the nginx file', () => {
  const { engine } = workspace(withFile(DEBIAN, SITE, (t) => t.replace('php8.2-fpm', 'php7.4-fpm')), {}, { rules });
  assert.equal(engine.analyze().findings.length, 1);
  engine.setFile(POOL, DEBIAN[POOL].replace('php8.2-fpm', 'php7.4-fpm'), 'php-fpm');
  assert.deepEqual(engine.analyze().findings, []);
  engine.setFile(POOL, DEBIAN[POOL].replace('php8.2-fpm', 'php8.3-fpm'), 'php-fpm');
  assert.match(engine.analyze().findings[0].message, /Pools in this workspace: \[www\] on \/run\/php\/php8\.3-fpm\.sock\.$/);
  engine.deleteFile(POOL);
  assert.deepEqual(engine.analyze().findings, [], 'no pool in the workspace: the other side is absent');
});

test('127.0.0.1:9000, localhost:9000 and a bare 9000 are one TCP target', () => {
  for (const [pass, listen] of [['127.0.0.1:9000', '9000'], ['localhost:9000', '9000'], ['localhost:9000', '127.0.0.1:9000'], ['127.0.0.1:9000', '[::]:9000'], ['[::1]:9000', 'localhost:9000']]) {
    assert.deepEqual(pair(pass, listen), [], `${pass} → ${listen}`);
  }
  const refused = pair('127.0.0.1:9001', '127.0.0.1:9000');
  assert.deepEqual(refused.map(brief), ['nginx/fastcgi-target-mismatch error /n/sites-enabled/a.conf:2:37-2:51']);
  assert.match(refused[0].message, /^127\.0\.0\.1:9001: no PHP-FPM pool listens\. nginx logs "connect\(\) failed \(111: Connection refused\) while connecting to upstream"/);
  assert.equal(refused[0].fixes![0].edits[0].newText, '127.0.0.1:9000');
});

test('/var/run is /run, and Debian links /run/php/php-fpm.sock to the versioned socket', () => {
  assert.deepEqual(pair('unix:/var/run/php/php8.2-fpm.sock', '/run/php/php8.2-fpm.sock'), []);
  assert.deepEqual(pair('unix:/run/php/php-fpm.sock', '/run/php/php8.2-fpm.sock'), []);
  assert.deepEqual(pair('unix:/run/php//php8.2-fpm.sock', '/var/run/php/php8.2-fpm.sock'), []);
  assert.equal(pair('unix:/run/php/php-fpm.sock', '/run/php/app.sock').length, 1, 'the link only names the packaged sockets');
});

test('targets with variables, on other hosts or containers, and pools nobody can place stay silent', () => {
  assert.deepEqual(pair('$php_backend', '/run/php/www.sock'), []);
  assert.deepEqual(pair('unix:/run/php/$site.sock', '/run/php/www.sock'), []);
  assert.deepEqual(pair('php:9000', '9001'), [], 'another container: no compose file says what listens there');
  assert.deepEqual(pair('10.0.0.7:9000', '9000'), []);
  assert.deepEqual(pair('unix:/run/php/x.sock', 'run/www.sock'), [], 'a relative path depends on the prefix');
  assert.deepEqual(pair('unix:/run/php/x.sock', '/run/php/${VERSION}.sock'), [], 'an environment variable decides');
  assert.deepEqual(analyze(CONTAINERS, {}, { rules }), []);
  assert.deepEqual(analyze(withFile(CONTAINERS, '/app/docker/nginx/default.conf', (t) => t.replace('php:9000', '127.0.0.1:9000')), {}, { rules }), []);
});

test('a pool\'s pm.status_listen is a listen too', () => {
  const findings = analyze({
    '/n/sites-enabled/a.conf': site('127.0.0.1:9001'),
    '/p/pool.d/www.conf': `${pool('/run/php/www.sock')}pm.status_listen = 127.0.0.1:9001\n`,
  }, {}, { rules });
  assert.deepEqual(findings, []);
});

test('through an upstream: reported at fastcgi_pass, fixed in the upstream\'s server', () => {
  const conf = [
    'upstream php_backend {',
    '    server unix:/run/php/php7.4-fpm.sock;',
    '    server unix:/run/php/spare.sock down;',
    '}',
    'server {',
    '    location ~ \\.php$ { fastcgi_pass php_backend; }',
    '}',
    '',
  ].join('\n');
  const findings = analyze({ '/n/conf.d/app.conf': conf, [POOL]: DEBIAN[POOL] }, {}, { rules });
  assert.deepEqual(findings.map(brief), ['nginx/fastcgi-target-mismatch error /n/conf.d/app.conf:5:37-5:48']);
  assert.match(findings[0].message, /^upstream php_backend sends to unix:\/run\/php\/php7\.4-fpm\.sock, where no PHP-FPM pool listens\./);
  const edit = findings[0].fixes![0].edits[0];
  assert.deepEqual(edit, { file: '/n/conf.d/app.conf', range: { start: { line: 1, character: 11 }, end: { line: 1, character: 40 } }, newText: 'unix:/run/php/php8.2-fpm.sock' });
});

test('one fix per pool, nearest address first and preferred', () => {
  const findings = analyze({
    '/n/sites-enabled/a.conf': site('unix:/run/php/shop-fpm.sock'),
    '/p/pool.d/www.conf': pool('/run/php/php8.2-fpm.sock'),
    '/p/pool.d/shop.conf': pool('/run/php/shop.sock', 'shop'),
    '/p/pool.d/api.conf': pool('127.0.0.1:9000', 'api'),
  }, {}, { rules });
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0].fixes!.map((f) => [f.title, f.isPreferred ?? false]), [
    ['Pass to pool [shop] (unix:/run/php/shop.sock)', true],
    ['Pass to pool [www] (unix:/run/php/php8.2-fpm.sock)', false],
    ['Pass to pool [api] (127.0.0.1:9000)', false],
  ]);
  assert.equal(findings[0].related!.length, 3);
});

test('with more pools than a finding lists, it names the ten nearest, in the pools\' order, and counts the rest; so do its fixes', () => {
  // Twelve pools; the pass misspells the last one's socket, so the nearest lies past the first ten.
  const pools = Array.from({ length: 12 }, (_, i) => pool(`/run/php/site${i}-app.sock`, `site${i}`)).join('\n');
  const [finding] = analyze({ '/n/sites-enabled/a.conf': site('unix:/run/php/site11-apq.sock'), '/p/pool.d/www.conf': pools }, {}, { rules });
  const named = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11];
  assert.ok(finding.message.endsWith(`Pools in this workspace: ${named.map((i) => `[site${i}] on /run/php/site${i}-app.sock`).join(', ')} and 2 more.`), finding.message);
  assert.deepEqual(finding.related?.map((related) => related.message), named.map((i) => `pool [site${i}] listens on /run/php/site${i}-app.sock`));
  assert.deepEqual(finding.fixes?.map((fix) => [fix.title, fix.isPreferred ?? false]), [
    ['Pass to pool [site11] (unix:/run/php/site11-app.sock)', true],
    ['Pass to pool [site1] (unix:/run/php/site1-app.sock)', false],
    ['Pass to pool [site10] (unix:/run/php/site10-app.sock)', false],
    ...[0, 2, 3, 4, 5, 6, 7].map((i) => [`Pass to pool [site${i}] (unix:/run/php/site${i}-app.sock)`, false]),
  ]);
});
