import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { resolveSettings } from '../../../server/src/core/settings';
import { fpmPool, ingressRule, phpLocation, reverseProxyLocation, snippetPreview } from '../../../server/src/features/snippets';

test('reverse proxy location: the workspace\'s upstreams to choose from, the headers a Cloudflare origin needs', () => {
  const { body } = reverseProxyLocation(['http://app']);
  assert.match(body, /^location \$\{1:\/\} \{\n\tproxy_pass \$\{2\|http:\/\/app,http:\/\/127\.0\.0\.1:3000\|\};\n/);
  assert.equal(snippetPreview(body), [
    'location / {',
    '\tproxy_pass http://app;',
    '\tproxy_http_version 1.1;',
    '\tproxy_set_header Connection "";',
    '\tproxy_set_header Host $host;',
    '\tproxy_set_header X-Real-IP $remote_addr;',
    '\tproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '\tproxy_set_header X-Forwarded-Proto $scheme;',
    '\tproxy_set_header CF-Connecting-IP $http_cf_connecting_ip;',
    '}',
  ].join('\n'));
});

test('PHP location: nginx variables and the regex escaped for the snippet syntax, the pool to choose', () => {
  const { body } = phpLocation(['unix:/run/php/www.sock']);
  assert.match(body, /^location ~ \\\\\.php\\\$ \{\n\ttry_files \\\$fastcgi_script_name =404;/);
  assert.equal(snippetPreview(body), [
    'location ~ \\.php$ {',
    '\ttry_files $fastcgi_script_name =404;',
    '\tinclude fastcgi_params;',
    '\tfastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;',
    '\tfastcgi_pass unix:/run/php/www.sock;',
    '}',
  ].join('\n'));
});

test('pool: sized by the capacity model, 5 children while the memory is unknown', () => {
  assert.equal(snippetPreview(fpmPool(resolveSettings({ server: { memoryMB: 4096 } })).body), [
    '[www]', 'user = www-data', 'group = www-data', 'listen = /run/php/www.sock', 'listen.owner = www-data', 'listen.group = www-data',
    'listen.mode = 0660', 'pm = dynamic', '; pm.max_children = floor((4096 − 1024) / 64) = 48', 'pm.max_children = 48',
    'pm.start_servers = 18', 'pm.min_spare_servers = 9', 'pm.max_spare_servers = 28',
  ].join('\n'));
  const unknown = snippetPreview(fpmPool(resolveSettings({})).body).split('\n').slice(8);
  assert.deepEqual(unknown, [
    '; set originDoctor.server.memoryMB to size pm.max_children from the server\'s memory',
    'pm.max_children = 5', 'pm.start_servers = 2', 'pm.min_spare_servers = 1', 'pm.max_spare_servers = 3',
  ]);
  const small = fpmPool(resolveSettings({ server: { memoryMB: 1024, reservedMB: 1024 } }));
  assert.equal(small.detail, 'PHP-FPM pool, pm.max_children 1', 'never fewer than one child');
  assert.match(fpmPool(resolveSettings({})).body, /^\[\$\{1:www\}\]\nuser = \$\{2:www-data\}\ngroup = \$\{3:www-data\}\nlisten = \/run\/php\/\$1\.sock\n/);
});

test('ingress: a rule plus the catch-all, as a key or on a list item', () => {
  assert.equal(snippetPreview(ingressRule(['http://127.0.0.1:8080'], true, true).body),
    'ingress:\n  - hostname: app.example.com\n    service: http://127.0.0.1:8080\n  - service: http_status:404');
  assert.equal(ingressRule([], false, false).body, 'hostname: ${1:app.example.com}\n  service: ${2:http://127.0.0.1:80}');
});
