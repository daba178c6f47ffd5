/**
 * cloudflared's own TestParseIngress cases (ingress/ingress_test.go), re-expressed: for each config, the rules give
 * an error-severity finding exactly when cloudflared's ParseIngress returns an error.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyze, brief } from '../engine-harness';
import { CLOUDFLARED_RULES } from './cloudflared-rules';

interface Case {
  name: string;
  rawYAML: string;
  wantErr: boolean;
  /** Why our verdict differs from ParseIngress's, where it does on purpose. */
  differs?: string;
}

const CASES: Case[] = [
  {
    name: 'Empty file',
    rawYAML: '',
    wantErr: true,
    differs: 'ParseIngress refuses a config without ingress rules, but `cloudflared tunnel run` does not: it falls back to ' +
      '--url, or answers 503 for a remotely managed tunnel. An empty file is no error to report.',
  },
  { name: 'Multiple rules', rawYAML: '\ningress:\n - hostname: tunnel1.example.com\n   service: https://localhost:8000\n - hostname: "*"\n   service: https://localhost:8001\n', wantErr: false },
  { name: 'Extra keys', rawYAML: '\ningress:\n - hostname: "*"\n   service: https://localhost:8000\nextraKey: extraValue\n', wantErr: false },
  { name: 'ws service', rawYAML: '\ningress:\n - hostname: "*"\n   service: wss://localhost:8000\n', wantErr: false },
  { name: 'Hostname can be omitted', rawYAML: '\ningress:\n - service: https://localhost:8000\n', wantErr: false },
  { name: 'Unicode domain', rawYAML: '\ningress:\n - hostname: môô.cloudflare.com\n   service: https://localhost:8000\n - service: https://localhost:8001\n', wantErr: false },
  // string(rune(0xd8f3)) in Go is U+FFFD; the single rule has a hostname, so it is not a catch-all.
  { name: 'Invalid unicode domain', rawYAML: '\ningress:\n - hostname: \ufffd.cloudflare.com\n   service: https://localhost:8000\n', wantErr: true },
  { name: 'Invalid service', rawYAML: '\ningress:\n - hostname: "*"\n   service: https://local host:8000\n', wantErr: true },
  { name: "Last rule isn't catchall", rawYAML: '\ningress:\n - hostname: example.com\n   service: https://localhost:8000\n', wantErr: true },
  { name: 'First rule is catchall', rawYAML: '\ningress:\n - service: https://localhost:8000\n - hostname: example.com\n   service: https://localhost:8000\n', wantErr: true },
  { name: "Catch-all rule can't have a path", rawYAML: '\ningress:\n - service: https://localhost:8001\n   path: /subpath1/(.*)/subpath2\n', wantErr: true },
  { name: 'Invalid regex', rawYAML: '\ningress:\n - hostname: example.com\n   service: https://localhost:8000\n   path: "*/subpath2"\n - service: https://localhost:8001\n', wantErr: true },
  { name: 'Service must have a scheme', rawYAML: '\ningress:\n - service: localhost:8000\n', wantErr: true },
  { name: 'Wildcard not at start', rawYAML: '\ningress:\n - hostname: "test.*.example.com"\n   service: https://localhost:8000\n', wantErr: true },
  { name: "Service can't have a path", rawYAML: '\ningress:\n - service: https://localhost:8000/static/\n', wantErr: true },
  { name: 'Invalid HTTP status', rawYAML: '\ningress:\n - service: http_status:asdf\n', wantErr: true },
  { name: 'Invalid HTTP status code', rawYAML: '\ningress:\n - service: http_status:8080\n', wantErr: true },
  { name: 'Valid HTTP status', rawYAML: '\ningress:\n - service: http_status:404\n', wantErr: false },
  { name: 'Valid hello world service', rawYAML: '\ningress:\n - service: hello_world\n', wantErr: false },
  { name: 'TCP services', rawYAML: '\ningress:\n- hostname: tcp.foo.com\n  service: tcp://127.0.0.1\n- hostname: tcp2.foo.com\n  service: tcp://localhost:8000\n- service: http_status:404\n', wantErr: false },
  { name: 'SSH services', rawYAML: '\ningress:\n- service: ssh://127.0.0.1\n', wantErr: false },
  { name: 'RDP services', rawYAML: '\ningress:\n- service: rdp://127.0.0.1\n', wantErr: false },
  { name: 'SMB services', rawYAML: '\ningress:\n- service: smb://127.0.0.1\n', wantErr: false },
  { name: 'Other TCP services', rawYAML: '\ningress:\n- service: ftp://127.0.0.1\n', wantErr: false },
  {
    name: 'SOCKS services',
    rawYAML: '\ningress:\n- hostname: socks.foo.com\n  service: socks-proxy\n  originRequest:\n    ipRules:\n      - prefix: 1.1.1.0/24\n' +
      '        ports: [80, 443]\n        allow: true\n      - prefix: 0.0.0.0/0\n        allow: false\n- service: http_status:404\n',
    wantErr: false,
  },
  { name: "URL isn't necessary if using bastion", rawYAML: '\ningress:\n- hostname: bastion.foo.com\n  originRequest:\n    bastionMode: true\n- service: http_status:404\n', wantErr: false },
  { name: 'Bastion service', rawYAML: '\ningress:\n- hostname: bastion.foo.com\n  service: bastion\n- service: http_status:404\n', wantErr: false },
  { name: 'Hostname contains port', rawYAML: '\ningress:\n - hostname: "test.example.com:443"\n   service: https://localhost:8000\n - hostname: "*"\n   service: https://localhost:8001\n', wantErr: true },
];

function errorsOf(text: string): string[] {
  return analyze({ '/t/cloudflared/config.yml': text }, {}, { rules: CLOUDFLARED_RULES })
    .filter((f) => f.severity === 'error')
    .map((f) => `${brief(f)} ${f.message}`);
}

for (const c of CASES) {
  test(`TestParseIngress "${c.name}": ${c.wantErr === !c.differs ? 'an error' : 'no error'}`, () => {
    const errors = errorsOf(c.rawYAML);
    assert.equal(errors.length > 0, c.differs ? !c.wantErr : c.wantErr, errors.join('\n'));
  });
}

test('agreement with ParseIngress: every case but the empty file, whose difference is on purpose', (t) => {
  const agreeing = CASES.filter((c) => errorsOf(c.rawYAML).length > 0 === c.wantErr);
  assert.deepEqual(CASES.filter((c) => !agreeing.includes(c)).map((c) => c.name), CASES.filter((c) => c.differs).map((c) => c.name));
  t.diagnostic(`${agreeing.length} of ${CASES.length} TestParseIngress cases agree`);
});
