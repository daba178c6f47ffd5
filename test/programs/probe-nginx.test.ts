import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { probeOrigin } from '../../server/src/probe/probe';
import type { ProbeResult } from '../../server/src/probe/types';
import { refusedPort } from '../unit/probe/servers';

// A real nginx in front of nothing: what it answers when its upstream is down is what the probe must read.

let prefix: string;
let nginx: ChildProcess | undefined;
let port: number;
let nginxOutput = '';

/** nginx takes no port 0, so it gets a port the system just handed out and released. */
before(async () => {
  if (spawnSync('nginx', ['-v']).error) throw new Error('nginx is not installed; the nginx probe tests need it (apt-get install nginx-light).');
  prefix = mkdtempSync(join(tmpdir(), 'origin-doctor-probe-nginx-'));
  port = await refusedPort();
  const upstream = await refusedPort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${prefix}/${kind}_temp;`).join('\n');
  writeFileSync(join(prefix, 'nginx.conf'), `daemon off;
master_process off;
pid ${prefix}/nginx.pid;
events {}
http {
    access_log off;
${temp}
    server {
        listen 127.0.0.1:${port};
        server_name shop.example.test;
        location / { proxy_pass http://127.0.0.1:${upstream}; }
    }
    server {
        listen 127.0.0.1:${port};
        server_name dropped.example.test;
        return 444;
    }
}
`);
  nginx = spawn('nginx', ['-p', `${prefix}/`, '-e', 'stderr', '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
  await untilListening(port);
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGTERM');
    await exited;
  }
  rmSync(prefix, { recursive: true, force: true });
});

async function untilListening(target: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (nginx?.exitCode !== null) throw new Error(`nginx exited: ${nginxOutput}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: target });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      }).once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on ${target}: ${nginxOutput}`);
}

function probe(host: string): Promise<ProbeResult> {
  return probeOrigin({ url: `http://${host}/`, connectTo: `127.0.0.1:${port}`, timeoutMs: 800 });
}

test('origin-5xx: nginx answers 502 itself when its upstream refuses; the verdict points past nginx', async () => {
  const result = await probe('shop.example.test');
  assert.deepEqual(result.verdicts.map((v) => v.id), ['origin-5xx']);
  assert.match(result.verdicts[0].finding, /^The origin itself answered 502 \(server: nginx\/[\d.]+\), not Cloudflare: the web server is up, but what it passes requests to is not\./);
  assert.match(result.verdicts[0].nextStep, /error\.log.*PHP-FPM/);
  assert.deepEqual(result.exchanges.map((e) => e.status), [502, 502]);
});

test('no-http-reply: nginx `return 444` closes without an answer (what Cloudflare reports as 520)', async () => {
  const result = await probe('dropped.example.test');
  assert.deepEqual(result.verdicts.map((v) => v.id), ['no-http-reply']);
});
