import { test } from 'node:test';
import { HttpBackend, okHandler } from './http-backend';
import { NGINX_ERROR_LOG } from './nginx-service';
import { NGINX_CONF, visitors, writeNginxOrigin } from './origins';
import { runScenario } from './scenario';
import { writeSelfSignedCertificate } from './tls-certificate';

// The rule judges the ports that name a protocol, 80 and 443, so these backends take them on
// 127.0.0.1; the test fails with "Address already in use" where something else holds them.
const HTTP_PORT = 80;
const HTTPS_PORT = 443;

test('proxy_pass https:// to a plain-HTTP backend on port 80', (t) =>
  runScenario(t, {
    title: 'proxy_pass https:// to plain HTTP on :80',
    rule: 'nginx/scheme-port-mismatch',
    ports: ['front'],
    setUp: (site) => ({
      services: [
        new HttpBackend('backend', '127.0.0.1', HTTP_PORT, okHandler),
        writeNginxOrigin(site, `    server {
        listen 127.0.0.1:${site.ports.front};
        location / {
            proxy_pass https://127.0.0.1:${HTTP_PORT};
        }
    }`),
      ],
      traffic: visitors(`http://127.0.0.1:${site.ports.front}/`),
    }),
    finding: { file: NGINX_CONF, line: 'proxy_pass https://' },
    failure: { outcome: '502', logs: [{ file: NGINX_ERROR_LOG, text: 'SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number)' }] },
  }));

test('proxy_pass http:// to an nginx TLS backend on port 443: visitors get its 400', (t) =>
  runScenario(t, {
    title: 'proxy_pass http:// to TLS on :443 (visitor sees 400)',
    rule: 'nginx/scheme-port-mismatch',
    ports: ['front'],
    setUp: (site) => {
      const tls = writeSelfSignedCertificate(site.folder, 'nginx/tls');
      return {
        // The TLS backend is a second server of the same nginx, as an app behind a TLS-only vhost.
        services: [writeNginxOrigin(site, `    server {
        listen 127.0.0.1:${site.ports.front};
        location / {
            proxy_pass http://127.0.0.1:${HTTPS_PORT};
        }
    }

    server {
        listen 127.0.0.1:${HTTPS_PORT} ssl;
        ssl_certificate ${tls.certificate};
        ssl_certificate_key ${tls.key};
        return 200 "backend ok\\n";
    }`)],
        traffic: visitors(`http://127.0.0.1:${site.ports.front}/`),
      };
    },
    finding: { file: NGINX_CONF, line: 'proxy_pass http://' },
    // nginx logs the plain request at info level only; the visitor's page says it all.
    failure: { outcome: '400', body: 'The plain HTTP request was sent to HTTPS port', logs: [] },
  }));
