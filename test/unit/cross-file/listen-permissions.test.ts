import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../server/src/rules/php-fpm/listen-permissions';
import { applyEdits } from '../apply-edits';
import { analyze, brief, workspace } from '../engine-harness';
import { DEBIAN, NGINX_CONF, POOL, SITE } from './fixtures';

const rules = [rule];
const APP_POOL = '/etc/php/8.2/fpm/pool.d/app.conf';
const appPool = (...lines: string[]) => ['[app]', 'user = app', 'group = app', 'listen = /run/php/app.sock', ...lines, 'pm = static', 'pm.max_children = 4', ''].join('\n');
const DENIED = 'nginx logs "connect() to unix:/run/php/app.sock failed (13: Permission denied) while connecting to upstream" and answers 502 to every PHP request';
const RUNS_AS = `nginx runs as www-data (user in ${NGINX_CONF}:1)`;
const ASSUMED = "nginx's user is not set in this workspace; assumed nobody (nginx's default), www-data (Debian, Ubuntu), nginx (nginx.org, RHEL, Alpine), http (Arch)";
/** A site passing to the app pool, without nginx.conf: nginx's user is unknown. */
const siteOnly = (pool: string) => ({
  '/srv/nginx/sites-enabled/app.conf': 'server {\n    location ~ \\.php$ { fastcgi_pass unix:/run/php/app.sock; }\n}\n',
  [APP_POOL]: pool,
});

test('Debian\'s www pool gives its socket to www-data: nothing to say', () => {
  assert.deepEqual(analyze(DEBIAN, {}, { rules }), []);
});

test('no listen.owner: the socket is the master\'s (root), www-data is shut out; the fix adds owner and group after listen', () => {
  const files = { ...DEBIAN, [APP_POOL]: appPool() };
  const findings = analyze(files, {}, { rules });
  assert.deepEqual(findings.map(brief), [`php-fpm/listen-permissions error ${APP_POOL}:3:0-3:26`]);
  const [finding] = findings;
  assert.equal(finding.message, `${RUNS_AS}. Pool [app]'s socket /run/php/app.sock is owned by root:root (php-fpm's master: no listen.owner is set) `
    + `with mode 0660: www-data cannot connect. N${DENIED.slice(1)}.`);
  assert.deepEqual(finding.fixes!.map((f) => [f.title, f.isPreferred]), [['Give the socket to www-data: listen.owner = www-data, listen.group = www-data', true]]);
  assert.equal(applyEdits(files[APP_POOL], finding.fixes![0].edits),
    appPool().replace('listen = /run/php/app.sock\n', 'listen = /run/php/app.sock\nlisten.owner = www-data\nlisten.group = www-data\n'));
});

test('a mode that shuts out nginx\'s own class is blamed on listen.mode, and the fix opens it', () => {
  const files = { ...DEBIAN, [APP_POOL]: appPool('listen.owner = www-data', 'listen.group = www-data', 'listen.mode = 0460') };
  const [finding, ...rest] = analyze(files, {}, { rules });
  assert.deepEqual(rest, []);
  assert.equal(brief(finding), `php-fpm/listen-permissions error ${APP_POOL}:6:0-6:18`);
  assert.match(finding.message, /is owned by www-data:www-data with mode 0460: www-data cannot connect\./);
  assert.deepEqual(finding.fixes![0].edits, [{ file: APP_POOL, range: { start: { line: 6, character: 14 }, end: { line: 6, character: 18 } }, newText: '0660' }]);
});

test('a socket for the pool\'s own group: a hint, since only a supplementary group of www-data would let it in', () => {
  const files = { ...DEBIAN, [APP_POOL]: appPool('listen.owner = app', 'listen.group = app') };
  const findings = analyze(files, {}, { rules });
  assert.deepEqual(findings.map(brief), [`php-fpm/listen-permissions hint ${APP_POOL}:4:0-4:18`]);
  assert.equal(findings[0].message, `${RUNS_AS}. Pool [app]'s socket /run/php/app.sock is owned by app:app with mode 0660: `
    + `www-data can connect only as a member of group app; otherwise ${DENIED}.`);
  const fixed = applyEdits(files[APP_POOL], findings[0].fixes![0].edits);
  assert.match(fixed, /listen.owner = www-data\nlisten.group = www-data\n/);
  assert.deepEqual(analyze({ ...files, [APP_POOL]: appPool('listen.owner = app', 'listen.group = app', 'listen.mode = 0600') }, {}, { rules }).map(brief),
    [`php-fpm/listen-permissions error ${APP_POOL}:4:0-4:18`], 'without group write, membership does not help');
  assert.deepEqual(analyze({ ...files, [APP_POOL]: appPool('listen.owner = app', 'listen.group = app', 'listen.mode = 0666') }, {}, { rules }), []);
  assert.deepEqual(analyze({ ...files, [APP_POOL]: appPool('listen.owner = app', 'listen.group = www-data') }, {}, { rules }), []);
});

test('ACLs replace owner and group: the fix adds nginx\'s user to listen.acl_users', () => {
  const files = { ...DEBIAN, [APP_POOL]: appPool('listen.owner = www-data', 'listen.acl_users = app,deploy') };
  const findings = analyze(files, {}, { rules });
  assert.deepEqual(findings.map(brief), [`php-fpm/listen-permissions error ${APP_POOL}:5:0-5:29`]);
  assert.match(findings[0].message, /socket \/run\/php\/app\.sock is granted by ACL to app, deploy with mode 0660: www-data cannot connect\./);
  assert.deepEqual(findings[0].fixes!.map((f) => f.title), ['Add www-data to listen.acl_users']);
  assert.match(applyEdits(files[APP_POOL], findings[0].fixes![0].edits), /^listen.acl_users = app,deploy,www-data$/m);
  assert.deepEqual(analyze({ ...files, [APP_POOL]: appPool('listen.acl_users = app', 'listen.acl_groups = www-data') }, {}, { rules }), []);
});

test('without nginx.conf: only pools a fastcgi_pass reaches, judged against the usual users, as a warning', () => {
  const findings = analyze(siteOnly(appPool()), {}, { rules });
  assert.deepEqual(findings.map(brief), [`php-fpm/listen-permissions warning ${APP_POOL}:3:0-3:26`]);
  assert.equal(findings[0].message, `${ASSUMED}. Pool [app]'s socket /run/php/app.sock is owned by root:root (php-fpm's master: no listen.owner is set) `
    + `with mode 0660: none of them can connect. N${DENIED.slice(1)}.`);
  assert.deepEqual(findings[0].fixes!.map((f) => [f.title, f.isPreferred ?? false]), [
    ["Give the socket to nobody (nginx's default): listen.owner = nobody, listen.group = nobody", false],
    ['Give the socket to www-data (Debian, Ubuntu): listen.owner = www-data, listen.group = www-data', false],
    ['Give the socket to nginx (nginx.org, RHEL, Alpine): listen.owner = nginx, listen.group = nginx', false],
    ['Give the socket to http (Arch): listen.owner = http, listen.group = http', false],
  ]);
  assert.deepEqual(analyze(siteOnly(appPool('listen.owner = www-data')), {}, { rules }), [], 'one of the usual users can connect');
  assert.deepEqual(analyze({ [APP_POOL]: appPool() }, {}, { rules }), [], 'neither nginx.conf nor a fastcgi_pass: nothing to judge by');
});

test('numeric ids, variables, TCP pools and a pool without user (php-fpm not run as root) are not judged', () => {
  for (const pool of [
    appPool('listen.owner = 33', 'listen.group = 33'),
    appPool('listen.owner = ${SOCKET_OWNER}'),
    appPool().replace('listen = /run/php/app.sock', 'listen = 127.0.0.1:9001'),
    appPool().replace('user = app\n', ''),
  ]) {
    assert.deepEqual(analyze({ ...DEBIAN, [APP_POOL]: pool }, {}, { rules }), [], pool);
  }
});

test('nginx\'s user as nginx.conf sets it: changing it there updates the pool\'s finding', () => {
  const { engine } = workspace(DEBIAN, {}, { rules });
  assert.deepEqual(engine.analyze().findings, []);
  engine.setFile(NGINX_CONF, DEBIAN[NGINX_CONF].replace('user www-data;', 'user nginx nginx;'), 'nginx');
  const findings = engine.analyze().findings;
  assert.deepEqual(findings.map(brief), [`php-fpm/listen-permissions hint ${POOL}:4:0-4:23`]);
  assert.match(findings[0].message, /^nginx runs as nginx \(user in \/etc\/nginx\/nginx\.conf:1\)\. .* nginx can connect only as a member of group www-data;/);
  engine.setFile(NGINX_CONF, DEBIAN[NGINX_CONF].replace('user www-data;\n', ''), 'nginx');
  assert.deepEqual(engine.analyze().findings, [], 'nginx.conf without user: the usual users include www-data');
  engine.setFile(SITE, DEBIAN[SITE].replace('fastcgi_pass', '# fastcgi_pass'), 'nginx');
  assert.deepEqual(engine.analyze().findings, []);
});
