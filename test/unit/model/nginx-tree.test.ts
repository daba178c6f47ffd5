import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodesNamed } from '../../../server/src/model/nginx-walk';
import { workspace } from '../engine-harness';
import { callWithin } from '../within';

const MAIN = 'events {}\nhttp {\n    include conf.d/*.conf;\n    include sites/app.conf;\n}\n';

test('relative includes resolve against the main config directory, not the including file', () => {
  const { engine } = workspace({
    '/etc/nginx/nginx.conf': MAIN,
    '/etc/nginx/conf.d/a.conf': 'include snippets/x.conf;\n',
    '/etc/nginx/snippets/x.conf': 'server_tokens off;\n',
    '/etc/nginx/sites/app.conf': 'server { listen 80; }\n',
  });
  const { model } = engine.analyze();
  assert.equal(model.nginxTrees.length, 1);
  const tree = model.nginxTrees[0];
  assert.deepEqual([...tree.files.keys()].sort(), [
    '/etc/nginx/conf.d/a.conf', '/etc/nginx/nginx.conf', '/etc/nginx/sites/app.conf', '/etc/nginx/snippets/x.conf',
  ]);
  const http = tree.nodes[1];
  assert.deepEqual(http.children.map((n) => n.directive.name), ['include', 'include', 'server_tokens', 'include', 'server']);
  assert.equal(http.children[2].context.block, 'http');
  assert.equal(http.children[2].includedBy?.directive.args[0].value, 'snippets/x.conf');
});

test('glob matches are read in sorted order, a glob matching nothing is fine', () => {
  const { engine } = workspace({
    '/n/nginx.conf': 'events {}\nhttp { include sites/*.conf; include none/*.conf; }\n',
    '/n/sites/b.conf': 'server { server_name b; }\n',
    '/n/sites/a.conf': 'server { server_name a; }\n',
    '/n/sites/.hidden.conf': 'server { server_name hidden; }\n',
  });
  const { model, findings } = engine.analyze();
  const names = model.nginxTrees[0].nodes[1].children
    .filter((n) => n.directive.name === 'server')
    .map((n) => n.children[0].directive.args[0].value);
  assert.deepEqual(names, ['a', 'b']);
  assert.deepEqual(findings, []);
});

test('a snippet nobody includes gets the context its content implies', () => {
  const { engine } = workspace({
    '/conf/site.conf': 'server {\n    listen 80;\n    location / { proxy_pass http://127.0.0.1:3000; }\n}\n',
    '/conf/loc.conf': 'location /x { return 204; }\n',
    '/conf/proxy.conf': 'proxy_pass http://127.0.0.1:3000;\nproxy_set_header Host $host;\n',
  });
  const { model, findings } = engine.analyze();
  const contexts = Object.fromEntries(model.nginxTrees.map((t) => [t.root.id, t.rootContext.block]));
  assert.deepEqual(contexts, { '/conf/loc.conf': 'server', '/conf/proxy.conf': 'location', '/conf/site.conf': 'http' });
  assert.deepEqual(findings, []);
});

test('a snippet included by another snippet is not a root of its own', () => {
  const { engine } = workspace({
    '/conf/site.conf': 'server {\n    include /conf/common.conf;\n}\n',
    '/conf/common.conf': 'listen 80;\n',
  });
  const { model } = engine.analyze();
  assert.deepEqual(model.nginxTrees.map((t) => t.root.id), ['/conf/site.conf']);
});

test('nodes by name: each name in document order, included files where they are read; several names merged in that order', () => {
  const { engine } = workspace({
    '/n/nginx.conf': 'events {}\nhttp {\n  server { location / { proxy_pass http://a; } }\n  include sites/*.conf;\n  server { location / { fastcgi_pass 127.0.0.1:9000; } }\n}\n',
    '/n/sites/b.conf': 'server { location / { grpc_pass grpc://b:1; proxy_pass http://b; } }\n',
    '/n/sites/a.conf': 'server { location / { fastcgi_pass unix:/a.sock; } }\n',
  });
  const tree = engine.analyze().model.nginxTrees[0];
  const argsOf = (names: string[]) => nodesNamed(tree, names).map((node) => node.directive.args[0].value);
  assert.deepEqual(argsOf(['proxy_pass']), ['http://a', 'http://b']);
  assert.deepEqual(argsOf(['fastcgi_pass', 'grpc_pass', 'proxy_pass']), ['http://a', 'unix:/a.sock', 'grpc://b:1', 'http://b', '127.0.0.1:9000']);
  assert.deepEqual(argsOf(['uwsgi_pass', 'nothing']), []);
  assert.deepEqual(tree.inOrder.map((node) => node.order), tree.inOrder.map((_, i) => i));
  assert.equal([...tree.byName.values()].reduce((sum, nodes) => sum + nodes.length, 0), tree.inOrder.length);
});

// Bounded, not timed: without the guard the match runs for hours.
test('an include glob whose stars backtrack without end over a long file name still gives an answer', async () => {
  const files = {
    '/n/nginx.conf': 'events {}\nhttp { include sites/a*a*a*a*a*a*a*a*b.conf; include sites/a*.conf; }\n',
    [`/n/sites/${'a'.repeat(120)}.conf`]: 'server { listen 80; }\n',
  };
  assert.deepEqual(await callWithin(20_000, join(__dirname, 'included-files.js'), 'includedFiles', [files, '/n/nginx.conf']), [
    '/n/nginx.conf', `/n/sites/${'a'.repeat(120)}.conf`,
  ]);
});
