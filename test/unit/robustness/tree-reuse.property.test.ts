/**
 * A tree rebuilt after an edit takes over the nodes of what the edit did not touch (see `lineUp` in nginx-tree.ts),
 * and with them their servers, upstreams and passes (origin.ts). Whatever the config and the edits, it must equal a
 * tree built afresh from the edited text, node for node, and the engine's findings must equal a fresh engine's.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Engine } from '../../../server/src/engine/engine';
import type { NginxNode, NginxTree } from '../../../server/src/model/nginx-tree';
import { treeOrigin } from '../../../server/src/model/origin';
import { workspace } from '../engine-harness';
import { plain } from '../parsers/plain-parse';
import { NGINX_TOKENS, nginxStructured, withLineEnds } from './arbitraries';
import { fuzzParameters } from './budget';

const PATH = '/w/nginx.conf';
const SETTINGS = { nginx: { version: '1.22.1' } };

const edit = fc.record({
  at: fc.integer({ min: 0, max: 10_000 }),
  removed: fc.nat({ max: 3 }),
  inserted: fc.constantFrom('', ' ', 'x', 'listen 80;', 'server { listen 81; }', ...NGINX_TOKENS),
});

/**
 * A tree as plain data: each node's directive, file, context and its parent, children and includer as indices; its
 * servers, upstreams and passes with the nodes they stand for as indices.
 */
function shape(tree: NginxTree) {
  const index = new Map<NginxNode, number>(tree.inOrder.map((node, i) => [node, i]));
  const at = (node: NginxNode | null | undefined) => (node ? index.get(node) : node);
  const origin = treeOrigin(tree);
  return {
    servers: origin.servers.map((server) => ({
      node: at(server.node), ofThisTree: server.tree === tree, names: server.serverNames,
      listens: server.listens.map((listen) => ({ ...listen, node: at(listen.node) })),
    })),
    upstreams: origin.upstreams.map((upstream) => ({ ...upstream, node: at(upstream.node), servers: upstream.servers.map((s) => ({ ...s, node: at(s.node) })) })),
    passes: origin.passes.map((pass) => ({
      kind: pass.kind, node: at(pass.node), ofThisTree: pass.tree === tree, target: pass.target, upstream: at(pass.upstream?.node),
    })),
    nodes: tree.nodes.map(at),
    byName: [...tree.byName].map(([name, nodes]) => [name, nodes.map(at)]),
    inOrder: tree.inOrder.map((node) => ({
      directive: plain({ name: node.directive.name, args: node.directive.args, range: node.directive.range }),
      file: [node.file.id, node.file.text],
      context: node.context,
      parent: at(node.parent),
      children: node.children.map(at),
      includedBy: at(node.includedBy),
      order: node.order,
    })),
  };
}

function analysed(engine: Engine) {
  const analysis = engine.analyze();
  return { tree: analysis.model.nginxTrees.find((tree) => tree.root.id === PATH)!, findings: analysis.findings };
}

test('a tree rebuilt from the one before an edit equals a tree built afresh', () => {
  fc.assert(
    fc.property(withLineEnds(nginxStructured), fc.array(edit, { minLength: 1, maxLength: 6 }), (start, edits) => {
      let text = `http {\n${start}\n}\n`;
      const { engine } = workspace({ [PATH]: text }, SETTINGS);
      engine.analyze();
      for (const { at, removed, inserted } of edits) {
        const offset = Math.floor((at / 10_000) * text.length);
        text = text.slice(0, offset) + inserted + text.slice(offset + removed);
        engine.setFile(PATH, text, 'nginx');
        const kept = analysed(engine);
        const afresh = analysed(workspace({ [PATH]: text }, SETTINGS).engine);
        assert.deepEqual(shape(kept.tree), shape(afresh.tree));
        assert.deepEqual(kept.findings, afresh.findings);
      }
    }),
    fuzzParameters(150),
  );
});

test('typing through a multi-site config reuses the untouched nodes and still equals a fresh tree', () => {
  const site = (i: number) => `    upstream app${i} {\n        server 127.0.0.1:${3000 + i};\n        keepalive 16;\n    }\n    server {\n        listen ${8000 + i};\n        location / {\n            proxy_pass http://app${i};\n        }\n        location ~ \\.php$ {\n            fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n            fastcgi_buffer_size 4k;\n        }\n    }\n`;
  let text = `events {}\nhttp {\n${Array.from({ length: 12 }, (_, i) => site(i)).join('')}}\n`;
  const { engine } = workspace({ [PATH]: text }, SETTINGS);
  let before = analysed(engine).tree;
  // What typing does, a line break now and then among it: what follows a line break is a copy moved down, whose
  // nodes are taken over too. (A stray `{` makes every later edit re-read the whole file, until it goes; the property
  // above runs such edits.)
  const typed = [' ', 'x', ' ', 'x', '\n'];
  let seed = 20261125;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let reused = 0;
  let total = 0;
  for (let round = 0; round < 200; round++) {
    const at = next(text.length);
    text = text.slice(0, at) + typed[next(typed.length)] + text.slice(at);
    engine.setFile(PATH, text, 'nginx');
    const kept = analysed(engine);
    const afresh = analysed(workspace({ [PATH]: text }, SETTINGS).engine);
    assert.deepEqual(shape(kept.tree), shape(afresh.tree), `after round ${round}`);
    assert.deepEqual(kept.findings, afresh.findings, `after round ${round}`);
    const earlier = new Set(before.inOrder);
    reused += kept.tree.inOrder.filter((node) => earlier.has(node)).length;
    total += kept.tree.inOrder.length;
    before = kept.tree;
  }
  assert.ok(reused > total * 0.9, `only ${reused} of ${total} nodes were taken over`);
});

test('trees built through includes, rebuilt after edits in any of their files, equal trees built afresh', () => {
  // b is read twice, in two contexts; inner is read inside a file that is itself included (and edited, keeping or
  // losing its include), and by a snippet's tree.
  const sites = ['/w/sites/a.conf', '/w/sites/b.conf', '/w/sites/c.conf', '/w/snippets/inner.conf', '/w/outer/site.conf'];
  const fileEdit = fc.record({ file: fc.nat({ max: sites.length }), edit });
  fc.assert(
    fc.property(fc.array(nginxStructured, { minLength: sites.length, maxLength: sites.length }), fc.array(fileEdit, { minLength: 1, maxLength: 6 }), (contents, edits) => {
      const texts: Record<string, string> = {
        [PATH]: 'events {}\nhttp {\n    include sites/*.conf;\n    server { include sites/b.conf; }\n    include outer/*.conf;\n}\n',
        '/w/extra/snippet.conf': 'location /x {\n    include snippets/inner.conf;\n}\n',
      };
      sites.forEach((site, i) => (texts[site] = contents[i]));
      texts['/w/outer/site.conf'] = `server {\n    location / { include snippets/inner.conf; }\n}\ninclude snippets/inner.conf;\n${contents[4]}`;
      // Every file is nginx, whatever an edit makes of it (the harness would otherwise classify by content).
      const kinds = Object.fromEntries(Object.keys(texts).map((path) => [path, 'nginx' as const]));
      const { engine, host } = workspace(texts, SETTINGS, { kinds });
      engine.analyze();
      for (const { file, edit: { at, removed, inserted } } of edits) {
        const path = file === sites.length ? PATH : sites[file];
        const text = texts[path];
        const offset = Math.floor((at / 10_000) * text.length);
        texts[path] = text.slice(0, offset) + inserted + text.slice(offset + removed);
        host.set(path, texts[path]);
        engine.setFile(path, texts[path], 'nginx');
        const kept = engine.analyze();
        const afresh = workspace(texts, SETTINGS, { kinds }).engine.analyze();
        assert.deepEqual(kept.model.nginxTrees.map(shape), afresh.model.nginxTrees.map(shape));
        assert.deepEqual(kept.findings, afresh.findings);
      }
    }),
    fuzzParameters(100),
  );
});

test('an edit in one included site file takes over every node of the other files, and their servers', () => {
  const site = (i: number) => `upstream app${i} {\n    server 127.0.0.1:${3000 + i};\n}\nserver {\n    listen ${8000 + i};\n    location / {\n        proxy_pass http://app${i};\n    }\n}\n`;
  const texts: Record<string, string> = { [PATH]: 'events {}\nhttp {\n    include sites/*.conf;\n}\n' };
  for (let i = 0; i < 5; i++) texts[`/w/sites/site${i}.conf`] = site(i);
  const { engine, host } = workspace(texts, SETTINGS);
  const before = analysed(engine).tree;
  const edited = '/w/sites/site2.conf';
  texts[edited] = texts[edited].replace('listen 8002;', 'listen  8002;');
  host.set(edited, texts[edited]);
  engine.setFile(edited, texts[edited], 'nginx');
  const after = analysed(engine).tree;
  assert.deepEqual(shape(after), shape(analysed(workspace(texts, SETTINGS).engine).tree));
  const earlier = new Set(before.inOrder);
  for (const node of after.inOrder) assert.equal(earlier.has(node), node.file.id !== edited, `${node.file.id}: ${node.directive.name}`);
  const servers = new Set(treeOrigin(before).servers);
  assert.deepEqual(treeOrigin(after).servers.map((server) => servers.has(server)), [true, true, false, true, true]);
});
