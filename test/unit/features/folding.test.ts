import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { foldingRangesOf } from '../../../server/src/features/folding';
import { workspace } from '../engine-harness';

test('nginx: blocks fold up to their closing brace, Lua bodies too, and runs of comment lines', () => {
  const { engine } = workspace({
    '/o/nginx/nginx.conf': [
      '# one',
      '# two',
      'http {',
      '    server { listen 80; }',
      '    server {',
      '        listen 81; # not a run',
      '        # alone',
      '        content_by_lua_block {',
      '            ngx.say(1)',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(foldingRangesOf(engine, '/o/nginx/nginx.conf'), [
    { startLine: 0, endLine: 1, kind: 'comment' },
    { startLine: 2, endLine: 10 },
    { startLine: 4, endLine: 9 },
    { startLine: 7, endLine: 8 },
  ]);
});

test('php-fpm: each section up to its last line, and comment runs; cloudflared keeps the editor\'s folding', () => {
  const { engine } = workspace({
    '/o/php/pool.d/www.conf': '; a pool\n; for the shop\n[www]\nlisten = /run/www.sock\n\n[api]\nlisten = /run/api.sock\npm = static\n',
    '/o/cloudflared/config.yml': 'tunnel: t\ningress:\n  - service: http_status:404\n',
  });
  assert.deepEqual(foldingRangesOf(engine, '/o/php/pool.d/www.conf'), [
    { startLine: 0, endLine: 1, kind: 'comment' },
    { startLine: 2, endLine: 3 },
    { startLine: 5, endLine: 7 },
  ]);
  assert.equal(foldingRangesOf(engine, '/o/cloudflared/config.yml'), null);
});
