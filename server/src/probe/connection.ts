import { once } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureContext, type TLSSocket } from 'node:tls';
import { certificateProblem, describeCertificate, tlsProblemOf } from './certificate';
import { codeOf, messageOf } from './errors';
import type { ProbeTarget } from './target';
import type { ExchangeFailure, FailureReason, PhaseTimings, TlsReport } from './types';
import { StepTimeout, withinLimits, type StepLimits } from './wait';

export interface ConnectionSettings extends StepLimits {
  /** Protocols to offer by ALPN. */
  alpn: string[];
  insecure: boolean;
  /** Made once per probe when extra CAs are trusted, so the TLS time is the handshake's, not the CA list's parsing. */
  secureContext?: SecureContext;
}

export interface OpenedConnection {
  /** Ready for a request; absent when the connection failed or its certificate is refused. */
  socket?: Socket;
  timings: PhaseTimings;
  tls?: TlsReport;
  failure?: ExchangeFailure;
  /** Bytes read from the network so far, TLS records included; still known after the socket closed. */
  bytesRead(): number;
}

const CONNECT_REASONS: Record<string, FailureReason> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
};

/** TCP, then TLS for https, each timed on its own, as curl's time_connect and time_appconnect. */
export async function openConnection(target: ProbeTarget, address: string, port: number, settings: ConnectionSettings): Promise<OpenedConnection> {
  const timings: PhaseTimings = {};
  let started = performance.now();
  const socket = tcpConnect({ host: address, port });
  const bytesRead = () => socket.bytesRead;
  try {
    await withinLimits('TCP connect', settings, once(socket, 'connect'), (reason) => socket.destroy(reason));
  } catch (error) {
    if (settings.signal?.aborted) throw error;
    const code = codeOf(error);
    return { timings, bytesRead, failure: { phase: 'connect', reason: CONNECT_REASONS[code] ?? 'error', code, message: messageOf(error) } };
  }
  timings.connect = performance.now() - started;
  if (!target.secure) return { socket, timings, bytesRead };

  started = performance.now();
  const secure = tlsConnect({
    socket,
    // SNI carries a name, never an address.
    servername: target.hostIsIp ? undefined : target.host,
    ALPNProtocols: settings.alpn,
    // The certificate is judged below, so that a bad one is described rather than only refused.
    rejectUnauthorized: false,
    secureContext: settings.secureContext,
  });
  try {
    await withinLimits('TLS handshake', settings, once(secure, 'secureConnect'), (reason) => secure.destroy(reason));
  } catch (error) {
    if (settings.signal?.aborted) throw error;
    secure.destroy();
    const code = codeOf(error);
    const failure: ExchangeFailure = { phase: 'tls', reason: error instanceof StepTimeout ? 'timeout' : 'tls', code, message: messageOf(error) };
    return { timings, bytesRead, failure, tls: failure.reason === 'tls' ? { problem: tlsProblemOf(code, failure.message) } : undefined };
  }
  timings.tls = performance.now() - started;
  const tls = describeTls(secure, target.host);
  if (tls.problem && !settings.insecure) {
    secure.destroy();
    return { timings, bytesRead, tls, failure: { phase: 'tls', reason: 'tls', code: tls.problem.code, message: tls.problem.message } };
  }
  return { socket: secure, timings, tls, bytesRead };
}

function describeTls(socket: TLSSocket, host: string): TlsReport {
  return {
    protocol: socket.getProtocol() ?? undefined,
    cipher: socket.getCipher()?.name,
    alpn: socket.alpnProtocol || undefined,
    certificate: describeCertificate(socket.getPeerCertificate()),
    problem: certificateProblem(socket, host),
  };
}
