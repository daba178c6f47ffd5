import { test } from 'node:test';
import { DnsResponder } from './dns-responder';
import { HttpBackend, okHandler } from './http-backend';
import { NGINX_ERROR_LOG } from './nginx-service';
import { NGINX_CONF, visitors, writeNginxOrigin } from './origins';
import { runScenario } from './scenario';

test('proxy_pass http://$backend_host with no resolver', (t) =>
  runScenario(t, {
    title: 'proxy_pass http://$backend_host, no resolver',
    rule: 'nginx/resolver-missing',
    ports: ['front', 'backend', 'dns'],
    // The quick fix inserts this setting; here it names the lab's DNS server, which answers app.internal.
    settings: (site) => ({ nginx: { resolver: `127.0.0.1:${site.ports.dns} valid=30s` } }),
    setUp: (site) => ({
      services: [
        new HttpBackend('backend', '127.0.0.1', site.ports.backend, okHandler),
        new DnsResponder(site.ports.dns, '127.0.0.1'),
        writeNginxOrigin(site, `    server {
        listen 127.0.0.1:${site.ports.front};
        set $backend_host app.internal:${site.ports.backend};
        location / {
            proxy_pass http://$backend_host;
        }
    }`),
      ],
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/`),
    }),
    finding: { file: NGINX_CONF, line: 'proxy_pass http://$backend_host' },
    failure: { outcome: '502', logs: [{ file: NGINX_ERROR_LOG, text: 'no resolver defined to resolve app.internal' }] },
  }));
