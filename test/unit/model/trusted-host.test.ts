import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resolveSettings } from '../../../server/src/core/settings';
import { Engine } from '../../../server/src/engine/engine';
import { diskFileSystem, type FileSystemHost } from '../../../server/src/model/host';
import { TrustedFileSystem, WorkspaceFolders } from '../../../server/src/model/trusted-host';
import { brief } from '../engine-harness';

// A workspace and a folder outside it, on disk, with links from the one into the other.
const temp = realpathSync(mkdtempSync(join(tmpdir(), 'origin-doctor-trust-')));
after(() => rmSync(temp, { recursive: true, force: true }));
const workspace = join(temp, 'ws');
const outside = join(temp, 'outside');
mkdirSync(join(workspace, 'nginx', 'conf.d'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(outside, 'secret.conf'), 'server_tokens off;\n');
writeFileSync(join(workspace, 'nginx', 'conf.d', 'own.conf'), 'server_tokens off;\n');
symlinkSync(outside, join(workspace, 'nginx', 'linked'));
symlinkSync(join(outside, 'secret.conf'), join(workspace, 'nginx', 'secret-link.conf'));
symlinkSync(join(workspace, 'nginx', 'conf.d'), join(workspace, 'nginx', 'inner-link'));
// The workspace folder opened through a link of its own.
symlinkSync(workspace, join(temp, 'ws-link'));

test('within the folders: the folder itself and what lies under it; not a sibling sharing its prefix, nor a climb out by ..', () => {
  const folders = new WorkspaceFolders(['/srv/ws'], () => undefined);
  const verdicts = ['/srv/ws', '/srv/ws/nginx/nginx.conf', '/srv/ws-other/a.conf', '/srv/ws/nginx/../../etc/passwd', '/srv/ws/./a/../b.conf', 'ws/a.conf', '/etc/nginx/mime.types']
    .map((path) => [path, folders.contains(path)]);
  assert.deepEqual(verdicts, [
    ['/srv/ws', true], ['/srv/ws/nginx/nginx.conf', true], ['/srv/ws-other/a.conf', false], ['/srv/ws/nginx/../../etc/passwd', false],
    ['/srv/ws/./a/../b.conf', true], ['ws/a.conf', false], ['/etc/nginx/mime.types', false],
  ]);
});

test('symlinks are followed: a link pointing out is outside, even to a file not there; one pointing within is within', () => {
  const folders = new WorkspaceFolders([workspace]);
  const verdicts = ['nginx/linked/secret.conf', 'nginx/linked/missing.conf', 'nginx/linked', 'nginx/secret-link.conf', 'nginx/inner-link/own.conf', 'nginx/missing/deeper.conf']
    .map((path) => [path, folders.contains(join(workspace, path))]);
  assert.deepEqual(verdicts, [
    ['nginx/linked/secret.conf', false], ['nginx/linked/missing.conf', false], ['nginx/linked', false], ['nginx/secret-link.conf', false],
    ['nginx/inner-link/own.conf', true], ['nginx/missing/deeper.conf', true],
  ]);
});

test('a workspace folder opened through a link holds what lies under the link', () => {
  const folders = new WorkspaceFolders([join(temp, 'ws-link')]);
  assert.equal(folders.contains(join(temp, 'ws-link', 'nginx', 'conf.d', 'own.conf')), true);
  assert.equal(folders.contains(join(temp, 'ws-link', 'nginx', 'linked', 'secret.conf')), false);
});

/** The disk, recording each path asked about. */
function recordingDisk(): { host: FileSystemHost; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    host: {
      readFile: (path) => (asked.push(path), diskFileSystem.readFile(path)),
      stat: (path) => (asked.push(path), diskFileSystem.stat(path)),
      readDirectory: (path) => (asked.push(path), diskFileSystem.readDirectory(path)),
    },
  };
}

test('the trusted file system passes everything until confined; then it withholds what lies outside without asking the disk', () => {
  const { host, asked } = recordingDisk();
  const trusted = new TrustedFileSystem(host);
  const secret = join(outside, 'secret.conf');
  assert.equal(trusted.readFile(secret), 'server_tokens off;\n');

  trusted.confineTo(new WorkspaceFolders([workspace]));
  asked.length = 0;
  assert.equal(trusted.readFile(secret), undefined);
  assert.equal(trusted.readFile(join(workspace, 'nginx', 'secret-link.conf')), undefined);
  assert.deepEqual(trusted.stat(secret), { isFile: false, isDirectory: false, size: 0, withheld: true });
  assert.equal(trusted.readDirectory(outside), undefined);
  assert.equal(trusted.readDirectory(join(workspace, 'nginx', 'linked')), undefined);
  assert.deepEqual(asked, []);

  const own = join(workspace, 'nginx', 'conf.d', 'own.conf');
  assert.equal(trusted.readFile(own), 'server_tokens off;\n');
  assert.deepEqual(trusted.stat(own), { isFile: true, isDirectory: false, size: 19 });
  assert.deepEqual(trusted.readDirectory(join(workspace, 'nginx', 'conf.d')), ['own.conf']);
});

test('an untrusted workspace: includes outside it are "not read" information, a missing file inside it is still an error', () => {
  const { host, asked } = recordingDisk();
  const trusted = new TrustedFileSystem(host);
  trusted.confineTo(new WorkspaceFolders([workspace]));
  const engine = new Engine(trusted, resolveSettings({}));
  const main = join(workspace, 'nginx', 'nginx.conf');
  engine.setFile(main, [
    'events {}',
    'http {',
    '    include /etc/nginx/mime.types;',
    `    include ${outside}/secret.conf;`,
    '    include linked/*.conf;',
    '    include ../../outside/secret.conf;',
    '    include conf.d/*.conf;',
    '    include missing.conf;',
    '}',
    '',
  ].join('\n'), 'nginx');
  const { model, findings } = engine.analyze();
  const notRead = (path: string) => `not read: workspace not trusted. "${path}" lies outside the workspace folders, and nothing outside them is read until the workspace is trusted.`;
  const relative = ` Relative paths resolve against the conf prefix (${workspace}/nginx).`;
  assert.deepEqual(findings.map((f) => `${brief(f)} ${f.message}`), [
    `nginx/include-not-found information ${main}:2:12-2:33 ${notRead('/etc/nginx/mime.types')}`,
    `nginx/include-not-found information ${main}:3:12-3:${12 + outside.length + 12} ${notRead(`${outside}/secret.conf`)}`,
    `nginx/include-not-found information ${main}:4:12-4:25 ${notRead(`${workspace}/nginx/linked/*.conf`)}${relative}`,
    `nginx/include-not-found information ${main}:5:12-5:37 ${notRead(`${outside}/secret.conf`)}${relative}`,
    `nginx/include-not-found error ${main}:7:12-7:24 open() "${workspace}/nginx/missing.conf" failed (2: No such file or directory): nginx -t fails and nginx will not start or reload.${relative}`,
  ]);
  // The workspace's own include is read; mime.types is still taken for the package's standard file.
  assert.deepEqual([...model.nginxTrees[0].files.keys()], [main, join(workspace, 'nginx', 'conf.d', 'own.conf')]);
  assert.equal(model.nginxTrees[0].includes[0].providedByPackage, true);
  assert.deepEqual(asked.filter((path) => !path.startsWith(`${workspace}/`)), []);
});
