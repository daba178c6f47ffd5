import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { findLocation, normalizeUri } from '../../../server/src/logs/location-match';
import { workspace } from '../engine-harness';
import { callWithin } from '../within';
import { picks } from './location-picks';

test('nginx order: exact =, then the longest prefix, ^~ stops regexes, else the first matching regex', () => {
  const body = `
        location = / { }
        location / { }
        location /images/ { }
        location ^~ /static/ { }
        location ~* \\.(gif|jpg|png)$ { }
        location ~ \\.php$ { }
        location ~ ^/images/.*\\.php$ { }
        location /api/ { }
        location /api/v2/ { }
        location @fallback { }`;
  assert.deepEqual(picks(body, ['/', '/index.html', '/images/logo.PNG', '/static/logo.png', '/images/x.php', '/api/v2/users', '/api', '/@fallback']), {
    '/': '= /',
    '/index.html': '/',
    '/images/logo.PNG': '~* \\.(gif|jpg|png)$',
    '/static/logo.png': '^~ /static/',
    // The first regex in the config's order wins, not the most specific one.
    '/images/x.php': '~ \\.php$',
    '/api/v2/users': '/api/v2/',
    // No trailing slash: not under /api/.
    '/api': '/',
    '/@fallback': '/',
  });
});

test('nested locations: searched inside the longest prefix, their regexes before the outer ones', () => {
  const body = `
        location /app/ {
            location ~ \\.php$ { }
            location /app/admin/ { }
        }
        location ~ \\.php$ { }
        location ~ ^/other { }`;
  assert.deepEqual(picks(body, ['/app/index.php', '/app/admin/users', '/app/admin/x.php', '/top.php', '/other']), {
    '/app/index.php': '~ \\.php$',
    '/app/admin/users': '/app/admin/',
    '/app/admin/x.php': '~ \\.php$',
    '/top.php': '~ \\.php$',
    '/other': '~ ^/other',
  });
  const { engine } = workspace({ '/etc/nginx/nginx.conf': `events {}\nhttp {\n    server {\n${body}\n    }\n}\n` });
  const server = engine.analyze().model.origin.servers[0];
  // The nested regex, not the outer one of the same pattern.
  assert.equal(findLocation(server.node, '/app/index.php')?.parent?.directive.args[0].value, '/app/');
  assert.equal(findLocation(server.node, '/top.php')?.parent, server.node);
});

test('modifiers written against the pattern, and a server without a matching location', () => {
  assert.deepEqual(picks('        location =/exact { }\n        location ~\\.txt$ { }\n        location /only/ { }', ['/exact', '/a.txt', '/elsewhere']), {
    '/exact': '=/exact',
    '/a.txt': '~\\.txt$',
    '/elsewhere': '(none)',
  });
});

test('the URI nginx matches: decoded, slashes merged, dot segments resolved, no query', () => {
  assert.equal(normalizeUri('/a%20b//c/./d/../e?x=1#top'), '/a b/c/e');
  assert.equal(normalizeUri('/static/'), '/static/');
  assert.equal(normalizeUri('/../../etc'), '/etc');
  assert.equal(normalizeUri('/bad%zz%41'), '/bad%zzA');
  assert.equal(normalizeUri('/'), '/');
});

// Bounded, not timed: without the guards these matches run for hours.
test('a regex that backtracks without end on a crafted URI from a log still gives an answer', async () => {
  const crafted = `/${'a'.repeat(5000)}!`;
  const body = `
        location / { }
        location ~ ^/(a+)+$ { }
        location ~ ^/(?=(a+)+b) { }
        location ~ ^/(a+)+\\1$ { }
        location ~ ^/(a+)+z$ { }`;
  assert.deepEqual(await callWithin(20_000, join(__dirname, 'location-picks.js'), 'picks', [body, [crafted, '/aab', '/aa', '/aaz']]), {
    [crafted]: '/',
    '/aab': '~ ^/(?=(a+)+b)',
    '/aa': '~ ^/(a+)+$',
    '/aaz': '~ ^/(a+)+z$',
  });
});
