import type { LogEvent } from './log-event';

/** What the visitor got: nginx's error page, or a 200 whose body stops short. */
export type VisitorStatus = '502' | '504' | '200 truncated';

/**
 * A config line a cause blames. `$module` stands for the module of the pass that handled the request
 * (proxy, fastcgi, uwsgi, grpc); `when` limits a ref to a phase of the request (nginx's "while …").
 */
export type ConfigRef =
  /** The `*_pass` of the location that handled the request. */
  | { at: 'pass' }
  /** The directive in force at that pass, inherited from server or http when the location has none. */
  | { at: 'location'; directive: string; when?: RegExp }
  /** The `server` lines of the upstream block the pass names. */
  | { at: 'upstream-servers' }
  /** A directive outside `http`, by its block path: `['events', 'worker_connections']`. */
  | { at: 'main'; path: readonly string[] }
  /** A key of the pools the request reached (or the pool the PHP-FPM line names); with `orEveryPool`, of every pool when it reached none. */
  | { at: 'pool'; key: string; orEveryPool?: boolean }
  /** The pool keys PHP-FPM names in its message (`pm.start_servers(4) must not be …`). */
  | { at: 'pool-keys-in-message' };

export interface Cause {
  /** Stable id, used by the CLI's JSON and as the diagnostic code. */
  id: string;
  program: LogEvent['program'];
  status: VisitorStatus;
  /** The message as the program words it. */
  message: RegExp;
  /** The phase of the request nginx names after "while", when the message alone is ambiguous. */
  action?: RegExp;
  level?: RegExp;
  /** Where the message names the upstream when the line has no `upstream:` (a host to resolve). */
  upstreamInMessage?: RegExp;
  title: string;
  explanation: string;
  next: string;
  /** The config lines responsible, in the order to show them. */
  config: readonly ConfigRef[];
  /** Config rules whose findings on those lines carry the quick fix. */
  rules: readonly string[];
}

const UPSTREAM_PHASE = /upstream/;

/** First match wins: the specific errno messages come before the general ones. */
export const CAUSES: readonly Cause[] = [
  {
    id: 'upstream-backlog-full',
    program: 'nginx',
    status: '502',
    message: /^connect\(\) to \S+ failed \(11: /,
    title: 'The backend\'s accept queue is full',
    explanation: 'Every worker of the backend is busy and its socket\'s listen backlog is full, so Linux refuses the connection at once (EAGAIN on a unix socket) and nginx answers 502 without waiting.',
    next: 'Give the pool enough children for its traffic (pm.max_children, within memory), make slow requests faster, and raise listen.backlog (and net.core.somaxconn) so bursts wait instead of failing.',
    config: [{ at: 'pass' }, { at: 'pool', key: 'pm.max_children' }, { at: 'pool', key: 'listen.backlog' }],
    rules: ['php-fpm/max-children-low', 'php-fpm/listen-backlog-low'],
  },
  {
    id: 'upstream-socket-missing',
    program: 'nginx',
    status: '502',
    message: /^connect\(\) to unix:\S+ failed \(2: /,
    title: 'The socket nginx connects to does not exist',
    explanation: 'No process has created the unix socket the pass names: PHP-FPM (or the app) is stopped or failed to start, or it listens on another path (another PHP version\'s socket, a typo).',
    next: 'Start the service (check its own log for why it did not start), and make the pass and the pool\'s listen name the same socket.',
    config: [{ at: 'pass' }, { at: 'pool', key: 'listen', orEveryPool: true }],
    rules: ['nginx/fastcgi-target-mismatch'],
  },
  {
    id: 'upstream-permission-denied',
    program: 'nginx',
    status: '502',
    message: /^connect\(\) to unix:\S+ failed \(13: /,
    title: 'nginx may not open the backend\'s socket',
    explanation: 'The socket\'s owner, group and mode leave out the user nginx\'s workers run as, so connect() fails with EACCES.',
    next: 'Give the socket to nginx\'s user or group (listen.owner, listen.group, listen.mode = 0660), or run nginx\'s workers as a user the socket admits.',
    config: [{ at: 'pass' }, { at: 'pool', key: 'listen.owner' }, { at: 'pool', key: 'listen.group' }, { at: 'pool', key: 'listen.mode' }, { at: 'main', path: ['user'] }],
    rules: ['php-fpm/listen-permissions'],
  },
  {
    id: 'upstream-refused',
    program: 'nginx',
    status: '502',
    message: /^connect\(\) (?:to \S+ )?failed \(111: /,
    action: UPSTREAM_PHASE,
    title: 'Nothing listens where nginx connects',
    explanation: 'The connection was refused: the backend is down or restarting, or it listens on another port or address (an app bound to 127.0.0.1 while "localhost" resolves to ::1 first).',
    next: 'Start the backend, or point the pass at the address and port it really listens on.',
    config: [{ at: 'pass' }, { at: 'upstream-servers' }, { at: 'pool', key: 'listen' }],
    rules: ['nginx/proxy-pass-localhost', 'nginx/fastcgi-target-mismatch', 'nginx/scheme-port-mismatch'],
  },
  {
    id: 'upstream-timeout',
    program: 'nginx',
    status: '504',
    message: /^upstream timed out \(110: /,
    title: 'The backend did not answer in time',
    explanation: 'nginx gave up waiting for the backend after its timeout for this phase of the request and answered 504 Gateway Timeout.',
    next: 'Find why the backend is slow (its own log, slow queries); raise the timeout only for the locations that really need long requests, and keep it under Cloudflare\'s 100 s when proxied.',
    config: [
      { at: 'pass' },
      { at: 'location', directive: '$module_connect_timeout', when: /connecting|SSL handshaking/ },
      { at: 'location', directive: '$module_send_timeout', when: /sending request/ },
      { at: 'location', directive: '$module_read_timeout', when: /reading/ },
      { at: 'pool', key: 'request_terminate_timeout' },
    ],
    rules: ['nginx/timeout-beyond-cloudflare', 'php-fpm/terminate-before-nginx'],
  },
  {
    id: 'upstream-too-big-header',
    program: 'nginx',
    status: '502',
    message: /^upstream sent too big header$/,
    title: 'The backend\'s response headers do not fit nginx\'s buffer',
    explanation: 'The response headers (large cookies, many Set-Cookie or long CSP headers) are larger than the buffer nginx reads them into.',
    next: 'Raise the header buffer together with the buffers around it (the config rule\'s quick fix sets consistent sizes).',
    config: [{ at: 'location', directive: '$module_buffer_size' }, { at: 'location', directive: '$module_buffers' }, { at: 'pass' }],
    rules: ['nginx/upstream-buffer-too-small'],
  },
  {
    id: 'upstream-prematurely-closed',
    program: 'nginx',
    status: '502',
    message: /^upstream prematurely closed (?:connection|FastCGI stdout|FastCGI request)$/,
    action: /response header|sending request/,
    title: 'The backend closed the connection before answering',
    explanation: 'The backend closed the connection before a complete response header: it crashed or was stopped mid-request, or it closed a keep-alive connection nginx reused.',
    next: 'Look at the backend\'s own log at that time (a crash, a restart, a timeout of its own).',
    config: [{ at: 'pass' }, { at: 'pool', key: 'request_terminate_timeout' }, { at: 'pool', key: 'pm.max_requests' }],
    rules: ['php-fpm/terminate-before-nginx', 'php-fpm/request-terminate-short', 'nginx/keepalive-needs-http11', 'nginx/upstream-keepalive-fpm'],
  },
  {
    id: 'upstream-truncated-body',
    program: 'nginx',
    status: '200 truncated',
    message: /^upstream prematurely closed (?:connection|FastCGI stdout|FastCGI request)$/,
    action: /^reading upstream$/,
    title: 'The backend closed the connection in the middle of the body',
    explanation: 'The status and headers had already gone to the visitor, so the visitor got a 200 whose body stops short of its Content-Length.',
    next: 'Look at the backend\'s own log at that time: it stopped writing (a crash, a timeout of its own, a proxy between them).',
    config: [{ at: 'pass' }],
    rules: [],
  },
  {
    id: 'upstream-reset',
    program: 'nginx',
    status: '502',
    message: /^(?:recv|readv|writev|send|sendfile|SSL_read|SSL_write)\(\) failed \((?:104|32): /,
    action: UPSTREAM_PHASE,
    title: 'The backend reset the connection',
    explanation: 'The backend aborted the connection (TCP reset or broken pipe): its worker was killed (PHP-FPM\'s request_terminate_timeout, the OOM killer) or crashed, or it dropped a keep-alive connection nginx reused.',
    next: 'Check the backend\'s log at that time for killed or timed-out workers, and the kernel log for the OOM killer.',
    config: [{ at: 'pass' }, { at: 'pool', key: 'request_terminate_timeout' }, { at: 'pool', key: 'pm.max_children' }],
    rules: ['php-fpm/request-terminate-short', 'php-fpm/terminate-before-nginx', 'php-fpm/max-children-exceeds-memory', 'nginx/keepalive-needs-http11', 'nginx/upstream-keepalive-fpm'],
  },
  {
    id: 'no-live-upstreams',
    program: 'nginx',
    status: '502',
    message: /^no live upstreams$/,
    title: 'Every server of the upstream is marked failed or down',
    explanation: 'Each server of the upstream block failed max_fails times within fail_timeout (or is marked down), so nginx does not even try them until fail_timeout passes.',
    next: 'Fix the first failures logged for this upstream (usually refused or timed-out connections); check no server is left marked down.',
    config: [{ at: 'upstream-servers' }, { at: 'pass' }],
    rules: ['nginx/upstream-all-down'],
  },
  {
    id: 'no-resolver',
    program: 'nginx',
    status: '502',
    message: /^no resolver defined to resolve /,
    upstreamInMessage: /^no resolver defined to resolve (\S+)/,
    title: 'A host name must be resolved per request, and nginx has no resolver',
    explanation: 'The pass holds a variable, so nginx resolves the host at request time, which needs a resolver directive; without one every such request fails.',
    next: 'Add "resolver" (e.g. 127.0.0.53, or your VPC\'s DNS) in http or server, or write a fixed host so nginx resolves it at start.',
    config: [{ at: 'location', directive: 'resolver' }, { at: 'pass' }],
    rules: ['nginx/resolver-missing'],
  },
  {
    id: 'upstream-unresolved',
    program: 'nginx',
    status: '502',
    message: /^\S+ could not be resolved \(/,
    upstreamInMessage: /^(\S+) could not be resolved/,
    title: 'nginx\'s resolver could not resolve the backend\'s name',
    explanation: 'The resolver nginx asks did not answer in time, or answered that the name does not exist.',
    next: 'Check the name and that the resolver address answers from this machine; raise resolver_timeout only if the DNS server is slow.',
    config: [{ at: 'location', directive: 'resolver' }, { at: 'location', directive: 'resolver_timeout' }, { at: 'pass' }],
    rules: ['nginx/resolver-missing'],
  },
  {
    id: 'upstream-ssl-verify',
    program: 'nginx',
    status: '502',
    message: /^upstream SSL certificate (?:verify error|does not match)/,
    title: 'The backend\'s certificate fails verification',
    explanation: 'nginx verifies the backend\'s certificate and it is not signed by a trusted CA, has expired, or does not name the host nginx expects.',
    next: 'Trust the CA that signed it (proxy_ssl_trusted_certificate), or check the name nginx verifies (proxy_ssl_name) matches the certificate.',
    config: [
      { at: 'location', directive: '$module_ssl_verify' }, { at: 'location', directive: '$module_ssl_trusted_certificate' },
      { at: 'location', directive: '$module_ssl_name' }, { at: 'pass' },
    ],
    rules: ['nginx/upstream-ssl-sni'],
  },
  {
    id: 'upstream-ssl-handshake',
    program: 'nginx',
    status: '502',
    message: /^(?:SSL_do_handshake\(\) failed|peer closed connection in SSL handshake)/,
    action: /SSL handshaking to upstream/,
    title: 'The TLS handshake with the backend failed',
    explanation: 'nginx spoke TLS to the backend and the handshake failed: the port speaks plain HTTP ("wrong version number"), the backend needs SNI nginx does not send, or they share no protocol or cipher.',
    next: 'Use http:// for a plain-HTTP port; for a TLS backend behind a name, turn on proxy_ssl_server_name.',
    config: [{ at: 'pass' }, { at: 'location', directive: '$module_ssl_server_name' }, { at: 'location', directive: '$module_ssl_protocols' }],
    rules: ['nginx/scheme-port-mismatch', 'nginx/upstream-ssl-sni'],
  },
  {
    id: 'upstream-invalid-header',
    program: 'nginx',
    status: '502',
    message: /^upstream sent (?:invalid header|no valid HTTP\/1\.0 header|invalid status)/,
    title: 'The backend\'s response is not valid HTTP',
    explanation: 'The backend answered with a malformed status line or header line, or does not speak HTTP on that port at all.',
    next: 'Point the pass at the backend\'s HTTP port, and fix the header the backend writes.',
    config: [{ at: 'pass' }],
    rules: ['nginx/scheme-port-mismatch', 'nginx/proxy-pass-localhost'],
  },
  {
    id: 'upstream-not-fastcgi',
    program: 'nginx',
    status: '502',
    message: /^upstream sent (?:unsupported FastCGI protocol version|invalid FastCGI record type)/,
    title: 'fastcgi_pass points at something that does not speak FastCGI',
    explanation: 'The address answered, but not in FastCGI: it is an HTTP server (version 72 is the "H" of "HTTP/1.1"), not a PHP-FPM pool.',
    next: 'Point fastcgi_pass at the pool\'s listen address, or use proxy_pass for an HTTP backend.',
    config: [{ at: 'pass' }, { at: 'pool', key: 'listen', orEveryPool: true }],
    rules: ['nginx/fastcgi-target-mismatch'],
  },
  {
    id: 'upstream-invalid-chunked',
    program: 'nginx',
    status: '200 truncated',
    message: /^upstream sent invalid chunked response$/,
    title: 'The backend sent a broken chunked body',
    explanation: 'The chunk sizes in the backend\'s body do not parse; the status line had already gone out, so the visitor got a 200 whose body stops where the chunking broke.',
    next: 'Fix the backend\'s chunked encoding (often an app writing its own Transfer-Encoding header, or a body written after the final chunk).',
    config: [{ at: 'pass' }, { at: 'location', directive: '$module_http_version' }],
    rules: [],
  },
  {
    id: 'worker-connections',
    program: 'nginx',
    status: '502',
    message: /^\d+ worker_connections are not enough/,
    title: 'nginx\'s workers ran out of connections',
    explanation: 'Each proxied request takes two of a worker\'s worker_connections (the visitor\'s and the backend\'s); with all in use nginx cannot connect to the backend, or stops accepting visitors.',
    next: 'Raise worker_connections (and worker_rlimit_nofile above it), and look for slow backends holding connections open.',
    config: [{ at: 'main', path: ['events', 'worker_connections'] }, { at: 'main', path: ['worker_rlimit_nofile'] }],
    rules: ['nginx/worker-capacity'],
  },
  {
    id: 'fpm-max-children-reached',
    program: 'php-fpm',
    status: '502',
    message: /^server reached (?:pm\.)?max_children setting \(\d+\)/,
    title: 'The PHP-FPM pool has no free child',
    explanation: 'Every child of the pool is busy; new requests wait in the socket\'s backlog. Once it is full nginx gets EAGAIN (502), and requests waiting longer than fastcgi_read_timeout get 504.',
    next: 'Raise pm.max_children as far as memory allows (about the server\'s memory for PHP divided by one child\'s memory), and make slow scripts faster.',
    config: [{ at: 'pool', key: 'pm.max_children' }, { at: 'pool', key: 'pm' }, { at: 'pool', key: 'listen.backlog' }],
    rules: ['php-fpm/max-children-low', 'php-fpm/max-children-exceeds-memory'],
  },
  {
    id: 'fpm-execution-timeout',
    program: 'php-fpm',
    status: '502',
    message: /^child \d+, script '.*' (?:\(request: ".*"\) )?execution timed out \(/,
    title: 'PHP-FPM killed a script that ran past request_terminate_timeout',
    explanation: 'The pool terminated the child running the script; nginx sees the connection reset or closed and answers 502.',
    next: 'Make the script faster or move it to a background job; raise request_terminate_timeout only for the pool that serves such scripts, keeping it above nginx\'s fastcgi_read_timeout.',
    config: [{ at: 'pool', key: 'request_terminate_timeout' }],
    rules: ['php-fpm/request-terminate-short', 'php-fpm/terminate-before-nginx'],
  },
  {
    id: 'fpm-worker-killed',
    program: 'php-fpm',
    status: '502',
    // SIGTERM and SIGQUIT are PHP-FPM's own (a timeout, a reload); any other signal killed the child from outside or crashed it.
    message: /^child \d+ exited on signal (?!15 \(SIGTERM\)|3 \(SIGQUIT\))\d+/,
    title: 'A PHP-FPM child was killed by a signal',
    explanation: 'A child died mid-request: SIGKILL is usually the kernel\'s OOM killer (too many children for the memory, or a script\'s memory_limit too high), SIGSEGV a crash in PHP or an extension.',
    next: 'Check the kernel log (dmesg) for the OOM killer; size pm.max_children to memory and set pm.max_requests so leaking children are recycled.',
    config: [{ at: 'pool', key: 'pm.max_children' }, { at: 'pool', key: 'php_admin_value[memory_limit]' }, { at: 'pool', key: 'pm.max_requests' }],
    rules: ['php-fpm/max-children-exceeds-memory', 'php-fpm/max-requests-unbounded'],
  },
  {
    id: 'fpm-config-error',
    program: 'php-fpm',
    status: '502',
    level: /^(?:ALERT|ERROR)$/,
    // fpm_conf.c's wording for a value it refuses (not the generic "FPM initialization failed" that follows).
    message: /must (?:not )?be|must start with|cannot be|is not set|has not been defined|is missing|not long enough|wrong format|invalid value|unknown entry|unable to bind/,
    title: 'PHP-FPM refused its configuration and did not start',
    explanation: 'PHP-FPM checks the pools at start and exits on the first value it refuses, so no pool listens: nginx finds no socket (502).',
    next: 'Fix the value PHP-FPM names (php-fpm -t shows the same message), then start it again.',
    config: [{ at: 'pool-keys-in-message' }],
    rules: ['php-fpm/pm-invalid', 'php-fpm/invalid-value', 'php-fpm/syntax', 'php-fpm/unknown-directive'],
  },
];

const byId = new Map(CAUSES.map((cause) => [cause.id, cause]));

export function causeById(id: string): Cause | undefined {
  return byId.get(id);
}

/** The cause a log line reports, if it reports one of the catalogue's. */
export function causeOf(event: LogEvent): Cause | undefined {
  return CAUSES.find((cause) =>
    cause.program === event.program &&
    cause.message.test(event.message) &&
    (!cause.action || cause.action.test(event.action ?? '')) &&
    (!cause.level || cause.level.test(event.level)));
}

/** The upstream a line is about: nginx's `upstream:` field, or the host its message names. */
export function upstreamOf(cause: Cause, event: LogEvent): string | undefined {
  return event.upstream ?? (cause.upstreamInMessage && cause.upstreamInMessage.exec(event.message)?.[1]);
}
