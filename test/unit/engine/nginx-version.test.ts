import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { findNginx } from '../../../server/src/engine/nginx-version';
import { WorkspaceFolders } from '../../../server/src/model/trusted-host';

const temp = realpathSync(mkdtempSync(join(tmpdir(), 'origin-doctor-nginx-path-')));
after(() => rmSync(temp, { recursive: true, force: true }));

/** A folder holding an `nginx` file, executable or not. */
function binFolder(name: string, executable = true): string {
  const dir = join(temp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx'), '#!/bin/sh\necho "nginx version: nginx/9.9.9" >&2\n');
  chmodSync(join(dir, 'nginx'), executable ? 0o755 : 0o644);
  return dir;
}

test('nginx is found by absolute path only: relative and empty PATH entries (the working directory) are skipped', (t) => {
  if (process.platform === 'win32') return t.skip('execute bits and `:` as the PATH delimiter are POSIX');
  const system = binFolder('usr/bin');
  // The working directory holds an nginx, and so does its bin/, as a workspace folder could.
  const cwd = binFolder('cwd');
  binFolder('cwd/bin');
  const before = process.cwd();
  process.chdir(cwd);
  t.after(() => process.chdir(before));
  assert.equal(findNginx(['.', '', 'bin', system].join(delimiter)), join(system, 'nginx'));
  assert.equal(findNginx(['.', '', 'bin'].join(delimiter)), undefined);
});

test('a file named nginx without an execute bit is passed over, as the shell passes it over', (t) => {
  if (process.platform === 'win32') return t.skip('Windows has no execute bit');
  assert.equal(findNginx([binFolder('plain', false), binFolder('usr/sbin')].join(delimiter)), join(temp, 'usr/sbin', 'nginx'));
});

test('an untrusted workspace\'s own nginx is never taken, even when the PATH names its folder first', (t) => {
  if (process.platform === 'win32') return t.skip('execute bits are POSIX');
  const workspace = join(temp, 'workspace');
  const path = [binFolder('workspace/bin'), binFolder('usr/local/bin')].join(delimiter);
  assert.equal(findNginx(path), join(workspace, 'bin', 'nginx'));
  assert.equal(findNginx(path, new WorkspaceFolders([workspace])), join(temp, 'usr/local/bin', 'nginx'));
});
