/** What `probeOrigin` takes: the CLI's flags and the editor's settings, in one shape. */
export interface ProbeOptions {
  url: string;
  /** `IP[:PORT]` to connect to instead of the DNS answer; Host and SNI stay the URL's (curl's --connect-to). */
  connectTo?: string;
  /** Send only the HEAD (what `curl -I` shows), not the GET that reads the body. */
  headOnly?: boolean;
  /** Go on past certificate problems (curl's --insecure); they are still reported. */
  insecure?: boolean;
  /** The longest wait for each step: connect, TLS handshake, first byte, rest of the body. */
  timeoutMs?: number;
  /** How much of the GET's body to read for the length and encoding checks. */
  maxBodyBytes?: number;
  /** A first byte later than this is `slow`. */
  slowThresholdMs?: number;
  /** Certificate authorities (PEM) to trust besides Node's bundle (curl's --cacert). */
  ca?: string[];
  /** DNS servers (`IP` or `IP:PORT`) to ask instead of the system resolver (curl's --dns-servers). */
  dnsServers?: string[];
  signal?: AbortSignal;
  /** Told each step as it starts, for a progress display. */
  onStep?: (step: string) => void;
}

export type Header = [name: string, value: string];

/** One resolver's answer to one question, as the DNS report shows it. */
export interface ResolverAnswer {
  resolver: string;
  query: string;
  addresses?: string[];
  /** The error code when it gave no address (ENOTFOUND, ESERVFAIL, ETIMEOUT…). */
  error?: string;
}

export interface DnsReport {
  host: string;
  /** Where the address came from: the connect-to address, the URL itself, or a resolver. */
  source: 'connect-to' | 'ip-literal' | 'system' | 'dns-servers';
  addresses: string[];
  answers: ResolverAnswer[];
  durationMs?: number;
  failed: boolean;
}

export interface CertificateReport {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** Subject alternative names (DNS and IP), else the subject's CN. */
  names: string[];
  selfSigned: boolean;
  sha256: string;
}

export type TlsProblemKind =
  | 'self-signed' | 'expired' | 'not-yet-valid' | 'wrong-name' | 'untrusted-issuer'
  | 'no-shared-protocol' | 'no-shared-cipher' | 'not-tls' | 'handshake';

export interface TlsProblem {
  kind: TlsProblemKind;
  /** OpenSSL's or Node's code, e.g. CERT_HAS_EXPIRED, ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION. */
  code: string;
  message: string;
}

export interface TlsReport {
  /** The TLS version, e.g. TLSv1.3. */
  protocol?: string;
  cipher?: string;
  /** What the server chose when offered h2 and http/1.1 (what browsers get); absent when not asked. */
  alpn?: string;
  certificate?: CertificateReport;
  problem?: TlsProblem;
}

export type FailurePhase = 'connect' | 'tls' | 'first-byte' | 'body';
/**
 * `timeout`: nothing came for the step's whole wait, or the bytes stopped coming; `trickle`: bytes were still coming
 * when the step's time was up, too slowly to finish it; `headers-too-large`: the status line and headers went on
 * past MAX_HEADER_BYTES.
 */
export type FailureReason =
  | 'refused' | 'timeout' | 'trickle' | 'unreachable' | 'reset' | 'tls' | 'not-http' | 'framing' | 'headers-too-large' | 'protocol' | 'error';

export interface ExchangeFailure {
  phase: FailurePhase;
  reason: FailureReason;
  code: string;
  message: string;
}

/** Durations in ms of the steps of one exchange; a step that did not happen is absent. */
export interface PhaseTimings {
  connect?: number;
  tls?: number;
  firstByte?: number;
  body?: number;
}

export interface BodyReport {
  /** Bytes read, after chunked decoding and before content decoding. */
  received: number;
  declaredLength?: number;
  chunked: boolean;
  /** `limit`: reading stopped at maxBodyBytes; `closed`: the server closed before the body's end. */
  end: 'complete' | 'limit' | 'closed';
  contentEncoding?: string;
  /**
   * How the body decodes under its Content-Encoding; absent when there is none, or one Node cannot decode.
   * `capped`: it decodes to more than `bytes`, where decoding stopped.
   */
  decoded?: { ok: true; bytes: number; capped: boolean; compressedAgain: boolean } | { ok: false; error: string };
  /** gzip bytes sent as text without a Content-Encoding: browsers show them as garbage. */
  undeclaredGzip: boolean;
  /** The start of the (decoded) body as text, for telling error pages apart. */
  text: string;
}

export interface Exchange {
  method: 'HEAD' | 'GET';
  httpVersion: '1.1' | '2';
  address: string;
  port: number;
  timings: PhaseTimings;
  status?: number;
  statusText?: string;
  headers: Header[];
  body?: BodyReport;
  failure?: ExchangeFailure;
  /** Bytes read from the connection, TLS records included: what the server made the probe read, bounded by its limits. */
  bytesRead?: number;
  /** The parser's complaint about bytes that came after the response's end (a body to HEAD, more than Content-Length). */
  bytesAfterEnd?: string;
}

export type VerdictId =
  | 'ok' | 'dns-failure' | 'origin-refused' | 'connect-timeout' | 'response-timeout' | 'no-http-reply' | 'tls-failure'
  | 'origin-5xx' | 'origin-4xx' | 'cloudflare-error' | 'content-length-mismatch' | 'headers-too-large' | 'broken-gzip' | 'http2-partial'
  | 'slow';

export interface Verdict {
  id: VerdictId;
  /** One line: what the probe saw and which cause it points to. */
  finding: string;
  nextStep: string;
}

export interface ProbeResult {
  url: string;
  connectTo?: string;
  dns: DnsReport;
  /** For https: the handshake of the first connection, and the ALPN choice. */
  tls?: TlsReport;
  exchanges: Exchange[];
  verdicts: Verdict[];
  slowThresholdMs: number;
  timeoutMs: number;
}
