import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from './burst';
import { hostsWithIpv6Localhost } from './hosts-file';
import { HttpBackend, okHandler } from './http-backend';
import { NGINX_ERROR_LOG } from './nginx-service';
import { NGINX_CONF, writeNginxOrigin } from './origins';
import { runScenario } from './scenario';

/** How long the backend is down, as in a quick restart or deploy. */
const OUTAGE_MS = 500;

test('proxy_pass http://localhost:PORT: a short backend restart leaves "no live upstreams"', (t) =>
  runScenario(t, {
    title: 'proxy_pass to localhost, backend on 127.0.0.1 restarted',
    rule: 'nginx/proxy-pass-localhost',
    ports: ['front', 'backend'],
    setUp: (site) => {
      // nginx resolves localhost when it starts, to every address the hosts file gives: on Debian
      // [::1]:PORT and 127.0.0.1:PORT. Where this machine's /etc/hosts has no ::1 line, nginx runs
      // in its own mount namespace with the machine's hosts file plus Debian's ::1 line.
      const hosts = hostsWithIpv6Localhost();
      const hostsFile = hosts.withIpv6 === hosts.machine ? undefined : site.folder.path('etc/hosts');
      if (hostsFile) {
        site.folder.write('etc/hosts', hosts.withIpv6);
        site.note("/etc/hosts maps localhost to 127.0.0.1 only: nginx sees it with Debian's '::1 localhost' line added");
      }
      const backend = new HttpBackend('backend', '127.0.0.1', site.ports.backend, okHandler);
      const nginx = writeNginxOrigin(site, `    server {
        listen 127.0.0.1:${site.ports.front};
        location / {
            proxy_pass http://localhost:${site.ports.backend};
        }
    }`, { hostsFile });
      return {
        services: [backend, nginx],
        traffic: async () => {
          // A steady trickle of visitors across the restart; what counts is what they get once it is back.
          const trickle = burst({ url: `http://127.0.0.1:${site.ports.front}/`, requests: 45, concurrency: 4, spacingMs: 100, deadlineMs: 10_000 });
          await sleep(500);
          await backend.restart(OUTAGE_MS);
          const backAt = performance.now();
          return (await trickle).filter((reply) => reply.sentAt >= backAt);
        },
      };
    },
    finding: { file: NGINX_CONF, line: 'proxy_pass http://localhost:' },
    failure: {
      outcome: '502',
      logs: [
        { file: NGINX_ERROR_LOG, text: 'connect() failed (111: Connection refused)' },
        { file: NGINX_ERROR_LOG, text: 'no live upstreams' },
      ],
    },
  }));
