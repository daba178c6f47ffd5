import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fpmConfigurations, type FpmFile } from '../../../server/src/model/fpm-load';
import { eventMechanism, poolInteger, poolProcessManager, poolSeconds, poolString } from '../../../server/src/model/fpm-settings';
import { parseFpm } from '../../../server/src/parsers/phpfpm/parser';
import { parsedFile } from '../rule-harness';

function configurations(files: Record<string, string>) {
  const parsed: FpmFile[] = Object.entries(files).map(([id, text]) => parsedFile(id, text, parseFpm));
  return fpmConfigurations(parsed);
}

const DEBIAN_MAIN = '[global]\npid = /run/php/php8.2-fpm.pid\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\n';

describe('fpmConfigurations', () => {
  it('reads a main file with the folder its include names, at the include, in glob order', () => {
    const [configuration, ...others] = configurations({
      '/etc/php/8.2/fpm/php-fpm.conf': DEBIAN_MAIN,
      '/etc/php/8.2/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/www.sock\n',
      '/etc/php/8.2/fpm/pool.d/a.conf': '[www]\nlisten = /run/php/a.sock\n',
    });
    assert.equal(others.length, 0);
    assert.equal(configuration.complete, true);
    assert.deepEqual(configuration.files.map((f) => f.id), ['/etc/php/8.2/fpm/php-fpm.conf', '/etc/php/8.2/fpm/pool.d/a.conf', '/etc/php/8.2/fpm/pool.d/www.conf']);
    assert.deepEqual(configuration.pools.map((p) => [p.name, p.scalar('listen')?.entry.value]), [['www', '/run/php/www.sock']]);
    assert.deepEqual(configuration.globals.map((s) => s.entry.key), ['pid']);
  });

  it('finds a relative include beside the main file (the image keeps php-fpm.d next to php-fpm.conf)', () => {
    const [configuration] = configurations({
      '/img/usr/local/etc/php-fpm.conf': '[global]\ninclude=etc/php-fpm.d/*.conf\n',
      '/img/usr/local/etc/php-fpm.d/www.conf': '[www]\nlisten = 9000\n',
    });
    assert.equal(configuration.complete, true);
    assert.deepEqual(configuration.pools.map((p) => p.name), ['www']);
  });

  it('reads a folder no main file reaches on its own, as incomplete, in path order', () => {
    const [configuration] = configurations({
      '/repo/php-fpm.d/zz-docker.conf': '[www]\nlisten = 9000\n',
      '/repo/php-fpm.d/docker.conf': '[global]\nerror_log = /proc/self/fd/2\n[www]\nlisten = 127.0.0.1:9000\nclear_env = no\n',
    });
    assert.equal(configuration.complete, false);
    const [www] = configuration.pools;
    assert.equal(www.scalar('listen')?.entry.value, '9000');
    assert.equal(www.headers.length, 2);
  });

  it('joins sections of one name without case and compares option names without case', () => {
    const [configuration] = configurations({ '/p/php-fpm.conf': '[www]\nPM = static\n[global]\n[WWW]\nlisten = 9000\n' });
    const [www] = configuration.pools;
    assert.equal(www.name, 'www');
    assert.equal(www.scalar('pm')?.entry.value, 'static');
    assert.equal(www.scalar('listen')?.entry.value, '9000');
  });

  it('continues the previous file\'s section in a file without header, and drops what has no known section', () => {
    const [configuration] = configurations({
      '/p/pool.d/a.conf': 'pm = static\n[www]\nlisten = 9000\n',
      '/p/pool.d/b.conf': 'pm.max_children = 7\n',
    });
    const [www] = configuration.pools;
    assert.equal(www.scalar('pm'), undefined);
    assert.equal(www.scalar('pm.max_children')?.entry.value, '7');
  });

  it('keeps php_value[…] and friends apart, in order', () => {
    const [configuration] = configurations({ '/p/php-fpm.conf': '[www]\nphp_value[a] = 1\nphp_admin_value[b] = 2\nphp_value[c] = 3\n' });
    assert.deepEqual(configuration.pools[0].array('php_value').map((s) => s.entry.arrayKey?.name), ['a', 'c']);
  });
});

describe('pool settings as php-fpm resolves them', () => {
  const [complete] = configurations({ '/p/php-fpm.conf': '[www]\npm = Dynamic\npm.max_children = 10\nrequest_terminate_timeout = 5m\nlisten = /run/$pool.sock\npm.min_spare_servers = ${MIN}\npm.max_spare_servers = x\n' });
  const [partial] = configurations({ '/p/pool.d/www.conf': '[www]\npm.max_children = 10\n' });

  it('decodes the last setting', () => {
    const [www] = complete.pools;
    assert.deepEqual(poolProcessManager(www)?.value, 'dynamic');
    assert.equal(poolInteger(www, 'pm.max_children')?.value, 10);
    assert.equal(poolSeconds(www, 'request_terminate_timeout')?.value, 300);
    assert.equal(poolString(www, 'listen')?.value, '/run/www.sock');
  });

  it("uses php-fpm's defaults where a complete configuration sets nothing", () => {
    const [www] = complete.pools;
    assert.deepEqual(poolInteger(www, 'pm.max_spawn_rate'), { value: 32 });
    assert.deepEqual(poolSeconds(www, 'pm.process_idle_timeout'), { value: 10 });
    assert.deepEqual(poolInteger(www, 'pm.start_servers'), { value: 0 });
    assert.deepEqual(poolString(www, 'slowlog'), { value: null });
    assert.deepEqual(eventMechanism(complete), { value: 'epoll' });
  });

  it('leaves unknown what is computed at load, refused, or may come from elsewhere', () => {
    const [www] = complete.pools;
    assert.equal(poolInteger(www, 'pm.min_spare_servers'), undefined);
    assert.equal(poolInteger(www, 'pm.max_spare_servers'), undefined);
    const [fragment] = partial.pools;
    assert.equal(poolProcessManager(fragment), undefined);
    assert.equal(poolInteger(fragment, 'pm.max_children')?.value, 10);
    assert.equal(eventMechanism(partial), undefined);
  });
});
