/**
 * The keys a cloudflared `config.yml` can hold, as cloudflared itself reads them (cloudflare/cloudflared:
 * `config/configuration.go`, `ingress/config.go`, the `altsrc` flags of `cmd/cloudflared/tunnel`).
 *
 * Top-level keys are the `Configuration` struct (`tunnel`, `ingress`, `originRequest`, `warp-routing`) plus every
 * command-line flag that cloudflared also accepts from the file, spelled as the flag's long name. Nested keys are
 * the Go struct fields, matched case-sensitively as Go's yaml.v3 does.
 */

export type CloudflaredKeyLevel = 'top-level' | 'ingress-rule' | 'originRequest' | 'warp-routing' | 'access' | 'ipRule';

export type CloudflaredValueType = 'duration' | 'boolean' | 'integer' | 'string' | 'list' | 'map';

export interface CloudflaredKeyInfo {
  name: string;
  level: CloudflaredKeyLevel;
  type: CloudflaredValueType;
  /** cloudflared's default as it would be written in the file (`30s`, `false`, `100`); absent when there is none. */
  default?: string;
  /** Set when cloudflared still accepts the key but ignores it, or no longer knows it: why, in Markdown. */
  deprecated?: string;
  /** Markdown: what the key does, its type and default, and how it leads to failed requests (502) when it does. */
  doc: string;
}

interface KeySpec {
  type: CloudflaredValueType;
  default?: string;
  summary: string;
  /** How this key turns into failed requests (502, or the tunnel not starting); omitted when it does not. */
  failure?: string;
  deprecated?: string;
}

const TYPE_LABELS: Record<CloudflaredValueType, string> = {
  duration: 'duration: a Go duration string such as `30s`, `1m30s`, `500ms` (a bare number is rejected)',
  boolean: 'boolean: `true` or `false`',
  integer: 'integer',
  string: 'string',
  list: 'list',
  map: 'map',
};

function docOf(spec: KeySpec): string {
  const parts = [spec.summary, `*${TYPE_LABELS[spec.type]}*${spec.default === undefined ? '' : ` · default \`${spec.default}\``}`];
  if (spec.failure) parts.push(`**502 role:** ${spec.failure}`);
  if (spec.deprecated) parts.push(`**Deprecated:** ${spec.deprecated}`);
  return parts.join('\n\n');
}

function level(name: CloudflaredKeyLevel, specs: Record<string, KeySpec>): readonly CloudflaredKeyInfo[] {
  return Object.entries(specs).map(([key, spec]) => ({
    name: key,
    level: name,
    type: spec.type,
    ...(spec.default === undefined ? {} : { default: spec.default }),
    ...(spec.deprecated === undefined ? {} : { deprecated: spec.deprecated }),
    doc: docOf(spec),
  }));
}

/** Shown on the legacy single-origin flags, which lose to `ingress` rules. */
const LEGACY_ORIGIN_FLAG =
  'Applies only to a single origin given by `url`/`unix-socket`/`hello-world`/`bastion` without `ingress` rules; with `ingress`, set it under `originRequest` instead.';
const NO_EFFECT = 'Accepted for old configs but no longer has any effect.';
const PROXY_DNS_REMOVED = 'The DNS proxy was removed in cloudflared 2026.2.0; the key is only kept so old configs still load.';
const API_KEY_DEPRECATED = 'Deprecated since cloudflared 2017.10.1 and ignored.';

const TOP_LEVEL = level('top-level', {
  tunnel: {
    type: 'string',
    summary: 'UUID or name of the locally managed tunnel that `cloudflared tunnel run` starts.',
    failure: 'Without it (and without a tunnel on the command line) `cloudflared tunnel run` refuses to start, so every hostname routed to the tunnel gets an error from Cloudflare.',
  },
  'credentials-file': {
    type: 'string',
    summary: 'Path to the tunnel credentials JSON written by `cloudflared tunnel create`. When absent, cloudflared looks for `<tunnel-UUID>.json` next to `origincert` and in `~/.cloudflared`, `~/.cloudflare-warp`, `~/cloudflare-warp`, `/etc/cloudflared`, `/usr/local/etc/cloudflared`.',
    failure: 'A wrong or unreadable path stops the tunnel from starting (`Tunnel credentials file ... doesn\'t exist or is not a file`).',
  },
  'credentials-contents': {
    type: 'string',
    summary: 'The credentials JSON itself instead of a file; wins over `credentials-file`.',
  },
  token: {
    type: 'string',
    summary: 'Token of a remotely managed tunnel; wins over credentials and `token-file`.',
  },
  'token-file': {
    type: 'string',
    summary: 'File holding the tunnel token; wins over credentials.',
  },
  ingress: {
    type: 'list',
    summary: 'The ingress rules: each request goes to the `service` of the first rule whose `hostname` and `path` match. The last rule must match everything (no `hostname`, or `"*"`, and no `path`), and only the last one may.',
    failure: 'A rule pointing at an address cloudflared cannot reach (a stopped origin, the wrong port, `localhost` inside a container) answers 502; an invalid rule stops the tunnel from starting.',
  },
  originRequest: {
    type: 'map',
    summary: 'Defaults for how cloudflared connects to origins, inherited by every ingress rule; a rule\'s own `originRequest` overrides them key by key.',
    failure: 'Timeouts, TLS names and keep-alive settings here decide when a request to the origin fails with 502.',
  },
  'warp-routing': {
    type: 'map',
    summary: 'Settings for private-network (WARP) traffic proxied by this tunnel: `connectTimeout`, `maxActiveFlows`, `tcpKeepAlive`.',
  },
  url: {
    type: 'string',
    default: 'http://localhost:8080',
    summary: 'The single origin to proxy to when there are no `ingress` rules (also the Quick Tunnel origin).',
    failure: 'An origin that is down or on another port answers 502. Ignored when the file has `ingress` rules (`cloudflared tunnel ingress validate` rejects the two together).',
  },
  'unix-socket': {
    type: 'string',
    summary: 'Path to a unix socket to use instead of `url` (single origin, no `ingress`).',
    failure: 'A socket path that does not exist or that cloudflared may not open answers 502.',
  },
  'hello-world': {
    type: 'boolean',
    default: 'false',
    summary: 'Serve the built-in Hello World test origin instead of `url`.',
  },
  bastion: {
    type: 'boolean',
    default: 'false',
    summary: 'Run as a jump host (bastion) instead of proxying to `url`.',
  },
  socks5: {
    type: 'boolean',
    default: 'false',
    summary: `Run the single origin as a SOCKS5 proxy. ${LEGACY_ORIGIN_FLAG}`,
  },
  'proxy-connect-timeout': {
    type: 'duration',
    default: '30s',
    summary: `Timeout for establishing a connection to the origin. ${LEGACY_ORIGIN_FLAG}`,
    failure: 'An origin that does not accept the connection in time answers 502.',
  },
  'proxy-tls-timeout': {
    type: 'duration',
    default: '10s',
    summary: `Timeout for completing the TLS handshake with an https origin. ${LEGACY_ORIGIN_FLAG}`,
    failure: 'A slower handshake answers 502.',
  },
  'proxy-tcp-keepalive': {
    type: 'duration',
    default: '30s',
    summary: `TCP keep-alive interval on connections to the origin. ${LEGACY_ORIGIN_FLAG}`,
  },
  'proxy-no-happy-eyeballs': {
    type: 'boolean',
    default: 'false',
    summary: `Dial the origin's addresses one after another instead of racing IPv4 and IPv6. ${LEGACY_ORIGIN_FLAG}`,
  },
  'proxy-keepalive-connections': {
    type: 'integer',
    default: '100',
    summary: `Most idle connections kept open to the origin. ${LEGACY_ORIGIN_FLAG}`,
  },
  'proxy-keepalive-timeout': {
    type: 'duration',
    default: '90s',
    summary: `How long an idle connection to the origin is kept for reuse. ${LEGACY_ORIGIN_FLAG}`,
    failure: 'Longer than the origin\'s own idle timeout, cloudflared may reuse a connection the origin just closed and answer 502.',
  },
  'proxy-connection-timeout': { type: 'duration', default: '90s', summary: 'Former HTTP proxy connection timeout.', deprecated: NO_EFFECT },
  'proxy-expect-continue-timeout': {
    type: 'duration',
    default: '90s',
    summary: 'Former HTTP proxy timeout for `Expect: 100-continue`.',
    deprecated: NO_EFFECT,
  },
  'http-host-header': {
    type: 'string',
    summary: `Host header sent to the origin. ${LEGACY_ORIGIN_FLAG}`,
  },
  'origin-server-name': {
    type: 'string',
    summary: `Hostname expected on the origin's TLS certificate, also sent as SNI. ${LEGACY_ORIGIN_FLAG}`,
    failure: 'When the certificate does not name the host cloudflared dials, TLS verification fails and requests answer 502.',
  },
  'origin-ca-pool': {
    type: 'string',
    summary: `CA certificate file for origins whose certificate is not publicly trusted. ${LEGACY_ORIGIN_FLAG}`,
    failure: 'Without the right CA, verification of a private certificate fails and requests answer 502.',
  },
  'no-tls-verify': {
    type: 'boolean',
    default: 'false',
    summary: `Accept any certificate from the origin (the edge connection stays encrypted). ${LEGACY_ORIGIN_FLAG}`,
  },
  'no-chunked-encoding': {
    type: 'boolean',
    default: 'false',
    summary: `Do not send chunked request bodies to the origin; needed by some WSGI servers. ${LEGACY_ORIGIN_FLAG}`,
  },
  'http2-origin': {
    type: 'boolean',
    default: 'false',
    summary: 'Try HTTP/2 when talking to the origin.',
  },
  'proxy-address': {
    type: 'string',
    default: '127.0.0.1',
    summary: `Listen address of the proxy cloudflared starts for bastion/SOCKS origins. ${LEGACY_ORIGIN_FLAG}`,
  },
  'proxy-port': {
    type: 'integer',
    default: '0',
    summary: `Listen port of that proxy; \`0\` picks a free port. ${LEGACY_ORIGIN_FLAG}`,
  },
  origincert: {
    type: 'string',
    default: '~/.cloudflared/cert.pem',
    summary: 'Account certificate from `cloudflared tunnel login`; needed to create, route or run a tunnel by name, not to run one by UUID with its credentials file.',
  },
  protocol: {
    type: 'string',
    default: 'auto',
    summary: 'Transport to Cloudflare\'s edge: `auto` (recommended; falls back between protocols), `quic` (outbound UDP, port 7844) or `http2` (outbound TCP, port 7844). An explicit choice never falls back.',
    failure: 'With `quic` on a network that blocks outbound UDP the tunnel never connects, and Cloudflare answers its hostnames with an error.',
  },
  'edge-ip-version': {
    type: 'string',
    default: 'auto',
    summary: 'IP version used to reach the edge: `4`, `6` or `auto`. Write it as a string (`"4"`): a bare number is rejected when the config is loaded.',
  },
  'edge-bind-address': {
    type: 'string',
    summary: 'Local IP address to bind for outgoing connections to the edge.',
  },
  region: {
    type: 'string',
    summary: 'Edge region to connect to, e.g. `us`; empty means the global region.',
  },
  'ha-connections': {
    type: 'integer',
    default: '4',
    summary: 'Number of connections held open to the edge.',
  },
  retries: {
    type: 'integer',
    default: '5',
    summary: 'Most retries, with exponential back-off, for connection and protocol errors toward the edge.',
  },
  'max-edge-addr-retries': {
    type: 'integer',
    default: '8',
    summary: 'Retries on edge addresses before falling back to a lower protocol.',
  },
  'grace-period': {
    type: 'duration',
    default: '30s',
    summary: 'On SIGINT/SIGTERM cloudflared stops taking new requests and waits this long for those in flight.',
    failure: 'Shorter than your slowest requests, a restart cuts them off.',
  },
  'no-autoupdate': {
    type: 'boolean',
    default: 'false',
    summary: 'Turn off the periodic self-update, which restarts cloudflared with the new version.',
  },
  'autoupdate-freq': {
    type: 'duration',
    default: '24h',
    summary: 'How often cloudflared checks for an update.',
  },
  'no-prechecks': {
    type: 'boolean',
    default: 'false',
    summary: 'Skip the connectivity pre-checks at startup.',
  },
  metrics: {
    type: 'string',
    default: 'localhost:0',
    summary: 'Listen address of the metrics and readiness server (`/metrics`, `/ready`). The default tries `localhost:20241` to `20245`, then a random port.',
  },
  'metrics-update-freq': {
    type: 'duration',
    default: '5s',
    summary: 'How often tunnel metrics are updated.',
  },
  pidfile: {
    type: 'string',
    summary: 'File to write cloudflared\'s PID to after the first successful connection.',
  },
  loglevel: {
    type: 'string',
    default: 'info',
    summary: 'Application log level: `debug`, `info`, `warn`, `error` or `fatal`. `debug` logs every request with its headers and the origin\'s response status, which helps trace 502s.',
  },
  'transport-loglevel': {
    type: 'string',
    default: 'info',
    summary: 'Log level of the edge transport: `debug`, `info`, `warn`, `error` or `fatal`.',
  },
  logfile: {
    type: 'string',
    summary: 'File that application logs are written to.',
  },
  'log-directory': {
    type: 'string',
    summary: 'Directory that application logs are written to.',
  },
  'trace-output': {
    type: 'string',
    summary: 'File for a runtime trace written when cloudflared stops.',
  },
  tag: {
    type: 'list',
    summary: 'Custom tags `KEY=VALUE` identifying this tunnel, sent to the origin as request headers.',
  },
  label: {
    type: 'string',
    summary: 'A readable label for this connector, shown instead of its UUID.',
  },
  name: {
    type: 'string',
    summary: 'Tunnel name for a one-shot "create, route and run" (not for production).',
  },
  hostname: {
    type: 'string',
    summary: 'Hostname to route to the tunnel started with `name`.',
  },
  features: {
    type: 'list',
    summary: 'Opt into features still in development or testing.',
  },
  'post-quantum': {
    type: 'boolean',
    default: 'false',
    summary: 'Require post-quantum key agreement on the connection to the edge.',
  },
  'management-diagnostics': {
    type: 'boolean',
    default: 'true',
    summary: 'Expose diagnostics (`/metrics`, `/debug/pprof`) over the management service.',
  },
  'compression-quality': {
    type: 'integer',
    default: '0',
    summary: '(beta) Cross-stream compression: 0 off, 1 low, 2 medium, 3 and above high.',
  },
  'write-stream-timeout': {
    type: 'duration',
    default: '0s',
    summary: 'Timeout for writing a stream toward the origin or the edge; `0s` means none.',
  },
  'quic-disable-pmtu-discovery': {
    type: 'boolean',
    default: 'false',
    summary: 'Turn off path-MTU discovery on QUIC connections (smaller packets).',
  },
  'quic-connection-level-flow-control-limit': {
    type: 'integer',
    default: '31457280',
    summary: 'QUIC connection-level flow-control window, in bytes (30 MB).',
  },
  'quic-stream-level-flow-control-limit': {
    type: 'integer',
    default: '6291456',
    summary: 'QUIC stream-level flow-control window, in bytes (6 MB).',
  },
  'heartbeat-interval': {
    type: 'duration',
    default: '5s',
    summary: 'Idle time before a heartbeat is sent on an edge connection.',
  },
  'heartbeat-count': {
    type: 'integer',
    default: '5',
    summary: 'Unanswered heartbeats before an edge connection is closed.',
  },
  'rpc-timeout': {
    type: 'duration',
    default: '5s',
    summary: 'Timeout of RPC calls to the edge.',
  },
  'dial-edge-timeout': {
    type: 'duration',
    default: '15s',
    summary: 'Longest wait for a connection to the edge.',
  },
  'local-ssh-port': {
    type: 'string',
    default: '2222',
    summary: 'Localhost port of cloudflared\'s SSH server. Write it as a string (`"2222"`): a bare number is rejected when the config is loaded.',
  },
  'ssh-idle-timeout': { type: 'duration', summary: 'SSH server: close a session after this long without activity.' },
  'ssh-max-timeout': { type: 'duration', summary: 'SSH server: longest a session may last.' },
  'ssh-server': { type: 'boolean', default: 'false', summary: 'Run cloudflared\'s SSH server.' },
  'host-key-path': { type: 'string', summary: 'SSH server: directory for the host keys.' },
  'bucket-name': { type: 'string', summary: 'SSH server: bucket for uploaded session logs.' },
  'region-name': { type: 'string', summary: 'SSH server: region of that bucket.' },
  'secret-id': { type: 'string', summary: 'SSH server: secret ID for uploading session logs.' },
  'access-key-id': { type: 'string', summary: 'SSH server: access key ID for uploading session logs.' },
  'session-token': { type: 'string', summary: 'SSH server: session token for uploading session logs.' },
  's3-url-host': { type: 'string', summary: 'SSH server: S3-compatible host for session logs.' },
  edge: { type: 'list', summary: 'Edge addresses to connect to; only works in Cloudflare\'s internal testing environment.' },
  cacert: { type: 'string', summary: 'CA authenticating the connection to Cloudflare\'s edge (testing only).' },
  'api-url': { type: 'string', default: 'https://api.cloudflare.com/client/v4', summary: 'Base URL of the Cloudflare API v4.' },
  'management-hostname': { type: 'string', default: 'management.argotunnel.com', summary: 'Hostname that marks incoming management requests.' },
  'service-op-ip': { type: 'string', default: '198.41.200.113:80', summary: 'Fallback IP for service operations of the management service.' },
  'quick-service': { type: 'string', default: 'https://api.trycloudflare.com', summary: 'Service that creates Quick Tunnels.' },
  'max-fetch-size': { type: 'integer', summary: 'Most results fetched from the Cloudflare API in one listing.' },
  'use-reconnect-token': { type: 'boolean', default: 'true', summary: 'Use reconnect tokens when edge connections are re-established.' },
  'stdin-control': { type: 'boolean', default: 'false', summary: 'Accept control commands (`reconnect`) on standard input.' },
  'is-autoupdated': { type: 'boolean', default: 'false', summary: 'Set by cloudflared itself on the process started after an update.' },
  id: { type: 'string', summary: 'Identifier tying connections to this tunnel instance (classic tunnels).' },
  'lb-pool': { type: 'string', summary: 'Load-balancing pool to add this origin to (classic tunnels).' },
  ui: { type: 'boolean', default: 'false', summary: 'Launched a terminal UI with scrollable logs.', deprecated: NO_EFFECT },
  'api-key': { type: 'string', summary: 'Former Cloudflare API key.', deprecated: API_KEY_DEPRECATED },
  'api-email': { type: 'string', summary: 'Former Cloudflare account email.', deprecated: API_KEY_DEPRECATED },
  'api-ca-key': { type: 'string', summary: 'Former Origin CA key.', deprecated: API_KEY_DEPRECATED },
  'proxy-dns': { type: 'boolean', summary: 'Ran a DNS-over-HTTPS proxy.', deprecated: PROXY_DNS_REMOVED },
  'proxy-dns-port': { type: 'integer', summary: 'Listen port of the DNS proxy.', deprecated: PROXY_DNS_REMOVED },
  'proxy-dns-address': { type: 'string', summary: 'Listen address of the DNS proxy.', deprecated: PROXY_DNS_REMOVED },
  'proxy-dns-upstream': { type: 'list', summary: 'Upstream DNS-over-HTTPS resolvers of the DNS proxy.', deprecated: PROXY_DNS_REMOVED },
  'proxy-dns-max-upstream-conns': {
    type: 'integer',
    summary: 'Most connections of the DNS proxy to its upstreams.',
    deprecated: PROXY_DNS_REMOVED,
  },
  'proxy-dns-bootstrap': { type: 'list', summary: 'Resolvers used to look up the DNS proxy upstreams.', deprecated: PROXY_DNS_REMOVED },
});

const INGRESS_RULE = level('ingress-rule', {
  hostname: {
    type: 'string',
    summary: 'Host the request must be for. `"*.example.com"` matches subdomains (the only wildcard allowed, and only at the start); omitted or `"*"` matches every host. No port. Quote values that start with `*`.',
    failure: 'A hostname that no rule matches falls through to the catch-all rule, which often answers 404 or sends the request to the wrong origin.',
  },
  path: {
    type: 'string',
    summary: 'Regular expression (Go RE2 syntax, unanchored) the request path must match, e.g. `\\.(jpg|png)$`. The catch-all rule cannot have one.',
  },
  service: {
    type: 'string',
    summary: 'Where matching requests go: a URL with scheme and host and no path (`http://localhost:8000`, `https://`, `ws://`, `wss://`, `tcp://`, `ssh://`, `rdp://`, `smb://`), `unix:/path/to.sock`, `unix+tls:/path/to.sock`, `http_status:404`, `hello_world`, `bastion` or `socks-proxy`.',
    failure: 'cloudflared answers 502 when it cannot connect to this address: the origin is down, listens on another port or interface, or `localhost` means a different container than the one running cloudflared.',
  },
  originRequest: {
    type: 'map',
    summary: 'Settings for this rule only, overriding the top-level `originRequest` key by key.',
  },
});

const ORIGIN_REQUEST = level('originRequest', {
  connectTimeout: {
    type: 'duration',
    default: '30s',
    summary: 'Timeout for establishing a new TCP connection to the origin.',
    failure: 'An origin that does not accept the connection in time (overloaded, firewalled, wrong address) answers 502.',
  },
  tlsTimeout: {
    type: 'duration',
    default: '10s',
    summary: 'Timeout for completing the TLS handshake with an `https` origin.',
    failure: 'A slower handshake answers 502.',
  },
  tcpKeepAlive: {
    type: 'duration',
    default: '30s',
    summary: 'TCP keep-alive interval on connections to the origin.',
  },
  noHappyEyeballs: {
    type: 'boolean',
    default: 'false',
    summary: 'Dial the origin\'s addresses one after another instead of racing IPv4 and IPv6 ("happy eyeballs").',
    failure: 'With it set, cloudflared tries the addresses of a host name one by one, so an address that does not answer (e.g. IPv6 where the origin only listens on IPv4) delays every new connection, up to `connectTimeout`.',
  },
  keepAliveConnections: {
    type: 'integer',
    default: '100',
    summary: 'Most idle connections kept open to the origin for reuse.',
  },
  keepAliveTimeout: {
    type: 'duration',
    default: '90s',
    summary: 'How long an idle connection to the origin is kept for reuse.',
    failure: 'Longer than the origin\'s own idle timeout (nginx `keepalive_timeout` 75s, Node.js 5s, gunicorn 2s), cloudflared may send a request on a connection the origin has just closed, and answers 502.',
  },
  httpHostHeader: {
    type: 'string',
    summary: 'Host header sent to the origin instead of the one the visitor sent.',
    failure: 'An origin that picks its virtual host by Host may answer from the wrong site or refuse the request.',
  },
  originServerName: {
    type: 'string',
    summary: 'Hostname expected on the origin\'s TLS certificate, also sent as SNI.',
    failure: 'When cloudflared dials an `https` origin by IP, `localhost` or a cluster name the certificate does not list, verification fails and requests answer 502; set this to a name on the certificate.',
  },
  matchSNItoHost: {
    type: 'boolean',
    default: 'false',
    summary: 'Send the request\'s Host as SNI and expect it on the origin certificate, instead of the `service` host.',
  },
  caPool: {
    type: 'string',
    summary: 'CA certificate file for an origin whose certificate is not publicly trusted.',
    failure: 'Without the right CA, verification of a private or self-signed certificate fails and requests answer 502.',
  },
  noTLSVerify: {
    type: 'boolean',
    default: 'false',
    summary: 'Accept any certificate from the origin. The connection to Cloudflare\'s edge stays encrypted; prefer `caPool` or `originServerName`.',
  },
  disableChunkedEncoding: {
    type: 'boolean',
    default: 'false',
    summary: 'Do not send chunked request bodies to the origin; some WSGI servers cannot read them.',
  },
  bastionMode: {
    type: 'boolean',
    default: 'false',
    summary: 'Run this rule as a jump host; the rule then needs no `service`.',
  },
  proxyAddress: {
    type: 'string',
    default: '127.0.0.1',
    summary: 'Listen address of the local proxy cloudflared starts for this rule (bastion, SOCKS).',
  },
  proxyPort: {
    type: 'integer',
    default: '0',
    summary: 'Listen port of that proxy; `0` picks a free port.',
  },
  proxyType: {
    type: 'string',
    default: '""',
    summary: 'Kind of local proxy: empty (none) or `socks`.',
  },
  ipRules: {
    type: 'list',
    summary: 'Allow/deny rules of a `socks-proxy` service, each with `prefix` (CIDR), `ports` and `allow`; the first match decides.',
  },
  http2Origin: {
    type: 'boolean',
    default: 'false',
    summary: 'Try HTTP/2 when talking to the origin.',
  },
  access: {
    type: 'map',
    summary: 'Cloudflare Access check done by cloudflared: `required`, `teamName`, `audTag`, `environment`. Requests without a valid Access token are refused before they reach the origin.',
  },
});

const WARP_ROUTING = level('warp-routing', {
  connectTimeout: {
    type: 'duration',
    default: '5s',
    summary: 'Timeout for connecting to a private-network destination.',
  },
  maxActiveFlows: {
    type: 'integer',
    default: '0',
    summary: 'Most private-network flows (TCP/UDP) handled at once; `0` means no limit.',
  },
  tcpKeepAlive: {
    type: 'duration',
    default: '30s',
    summary: 'TCP keep-alive interval on private-network connections.',
  },
  enabled: {
    type: 'boolean',
    summary: 'Turned private-network (WARP) routing on or off.',
    deprecated: 'Removed in cloudflared 2023.9.0 and ignored: private-network traffic flows whenever the tunnel has private routes; remove those to stop it.',
  },
});

const ACCESS = level('access', {
  required: {
    type: 'boolean',
    default: 'false',
    summary: 'Refuse every request that does not carry a valid Cloudflare Access token.',
  },
  teamName: {
    type: 'string',
    summary: 'Zero Trust team name whose keys sign the Access tokens; required when `audTag` is set.',
  },
  audTag: {
    type: 'list',
    summary: 'Application audience (AUD) tags the Access token must carry.',
  },
  environment: {
    type: 'string',
    summary: 'Access environment, e.g. `fed` for FedRAMP; empty for the default.',
  },
});

const IP_RULE = level('ipRule', {
  prefix: { type: 'string', summary: 'Destination network in CIDR form, e.g. `10.0.0.0/8`.' },
  ports: { type: 'list', summary: 'Destination ports the rule covers; empty means all.' },
  allow: { type: 'boolean', default: 'false', summary: 'Whether matching destinations are allowed.' },
});

export const CLOUDFLARED_KEYS: Readonly<Record<CloudflaredKeyLevel, readonly CloudflaredKeyInfo[]>> = {
  'top-level': TOP_LEVEL,
  'ingress-rule': INGRESS_RULE,
  originRequest: ORIGIN_REQUEST,
  'warp-routing': WARP_ROUTING,
  access: ACCESS,
  ipRule: IP_RULE,
};

const BY_LEVEL = new Map(
  Object.entries(CLOUDFLARED_KEYS).map(([name, keys]) => [name, new Map(keys.map((k) => [k.name, k]))]),
);

/** The key as cloudflared knows it at that level; names are case-sensitive, as in cloudflared. */
export function cloudflaredKey(level: CloudflaredKeyLevel, name: string): CloudflaredKeyInfo | undefined {
  return BY_LEVEL.get(level)?.get(name);
}
