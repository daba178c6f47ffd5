import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { classifyFile } from '../../../server/src/model/classify';
import { analyze, brief, workspace } from '../engine-harness';

/**
 * The engine keeps each nginx configuration's tree and findings until one of its files changes: typing in one
 * config must not re-check the others, and what it keeps must always equal a fresh analysis.
 */
const SHOP = 'events {}\nhttp {\n    include sites/*.conf;\n}\n';
const SHOP_SITE = 'server {\n    listen 80;\n    location ~ \\.php$ { fastcgi_pass unix:/run/php/shop.sock; }\n}\n';
const BLOG = 'events {}\nhttp {\n    server {\n        listen 8080;\n        server_nme blog;\n    }\n}\n';
const POOL = '[shop]\nuser = www-data\nlisten = /run/php/shop.sock\npm = static\npm.max_children = 4\n';

function files(): Record<string, string> {
  return {
    '/w/shop/nginx.conf': SHOP,
    '/w/shop/sites/a.conf': SHOP_SITE,
    '/w/blog/nginx.conf': BLOG,
    '/w/php/pool.d/shop.conf': POOL,
  };
}

test('an edit in one configuration keeps the other configuration and its findings as they were', () => {
  const { engine } = workspace(files());
  const before = engine.analyze();
  const shopTree = before.model.nginxTrees.find((tree) => tree.root.id === '/w/shop/nginx.conf');
  const shopFindings = before.findings.filter((f) => f.file.startsWith('/w/shop/'));
  engine.setFile('/w/blog/nginx.conf', BLOG.replace('server_nme', ' server_name'), 'nginx');
  const after = engine.analyze();
  assert.equal(after.model.nginxTrees.find((tree) => tree.root.id === '/w/shop/nginx.conf'), shopTree);
  const kept = after.findings.filter((f) => f.file.startsWith('/w/shop/'));
  assert.equal(kept.length, shopFindings.length);
  kept.forEach((finding, i) => assert.equal(finding, shopFindings[i]));
  assert.deepEqual(after.findings.filter((f) => f.file.startsWith('/w/blog/')).map(brief), []);
});

test('a pool file change reaches the findings of a configuration that did not change', () => {
  const { engine } = workspace(files());
  assert.deepEqual(engine.analyze().findings.filter((f) => f.rule === 'nginx/fastcgi-target-mismatch'), []);
  engine.setFile('/w/php/pool.d/shop.conf', POOL.replace('shop.sock', 'www.sock'), 'php-fpm');
  assert.deepEqual(engine.analyze().findings.filter((f) => f.rule === 'nginx/fastcgi-target-mismatch').map(brief), [
    'nginx/fastcgi-target-mismatch error /w/shop/sites/a.conf:2:37-2:60',
  ]);
});

test('a new file that an include glob matches rebuilds the configuration that includes it', () => {
  const { engine } = workspace(files());
  engine.analyze();
  engine.setFile('/w/shop/sites/b.conf', 'server {\n    listen 81;\n    server_nme b;\n}\n', 'nginx');
  assert.deepEqual(engine.analyze().findings.filter((f) => f.file === '/w/shop/sites/b.conf').map(brief), [
    'nginx/unknown-directive error /w/shop/sites/b.conf:2:4-2:14',
  ]);
  engine.deleteFile('/w/shop/sites/b.conf');
  assert.deepEqual(engine.analyze().findings.filter((f) => f.file === '/w/shop/sites/b.conf'), []);
});

test('an edit in an included file rebuilds the configuration that includes it', () => {
  const { engine } = workspace(files());
  engine.analyze();
  engine.setFile('/w/shop/sites/a.conf', SHOP_SITE.replace('listen 80;', 'listen 80;\n    server_nme a;'), 'nginx');
  assert.deepEqual(engine.analyze().findings.filter((f) => f.rule === 'nginx/unknown-directive').map(brief), [
    'nginx/unknown-directive error /w/blog/nginx.conf:4:8-4:18',
    'nginx/unknown-directive error /w/shop/sites/a.conf:2:4-2:14',
  ]);
});

test('after any sequence of edits the kept analysis equals a fresh one', () => {
  const texts = files();
  const { engine } = workspace(texts);
  const paths = Object.keys(texts);
  const inserts = ['server_nme x;\n', 'keepalive 16;\n', '}\n', 'upstream u { server 127.0.0.1:9000; }\n', 'pm.max_children = 1\n', ' ', '\n', '#'];
  let seed = 20261125;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 150; round++) {
    const path = paths[next(paths.length)];
    const text = texts[path];
    const at = next(text.length + 1);
    texts[path] = next(3) === 0 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + inserts[next(inserts.length)] + text.slice(at);
    engine.setFile(path, texts[path], classifyFile(path, texts[path]) ?? 'nginx');
    const fresh = analyze(texts, {}, { kinds: Object.fromEntries(paths.map((p) => [p, classifyFile(p, texts[p]) ?? 'nginx'])) });
    assert.deepEqual(engine.analyze().findings, fresh, `after round ${round}, editing ${path}`);
  }
});
