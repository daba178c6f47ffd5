import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateReport, TlsProblem, TlsProblemKind } from './types';

/** OpenSSL's verification codes and Node's handshake codes, by what they mean to the person probing. */
const KIND_BY_CODE: Record<string, TlsProblemKind> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-name',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted-issuer',
  CERT_UNTRUSTED: 'untrusted-issuer',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'no-shared-protocol',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'no-shared-protocol',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'no-shared-protocol',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'no-shared-cipher',
  ERR_SSL_NO_SHARED_CIPHER: 'no-shared-cipher',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not-tls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'not-tls',
};

export function tlsProblemOf(code: string, message: string): TlsProblem {
  return { kind: KIND_BY_CODE[code] ?? 'handshake', code, message };
}

/** The certificate problem of an established connection: the chain first (as OpenSSL checks it), then the name. */
export function certificateProblem(socket: TLSSocket, host: string): TlsProblem | undefined {
  // Node keeps OpenSSL's verification code (e.g. CERT_HAS_EXPIRED) here, typed as an Error.
  const chainCode = socket.authorizationError ? String(socket.authorizationError) : undefined;
  if (chainCode) return tlsProblemOf(chainCode, chainCode);
  const nameError = checkServerIdentity(host, socket.getPeerCertificate()) as NodeJS.ErrnoException | undefined;
  return nameError ? tlsProblemOf(nameError.code ?? 'ERR_TLS_CERT_ALTNAME_INVALID', nameError.message) : undefined;
}

export function describeCertificate(certificate: PeerCertificate | DetailedPeerCertificate): CertificateReport | undefined {
  if (!certificate || Object.keys(certificate).length === 0) return undefined;
  const subject = distinguishedName(certificate.subject);
  const issuer = distinguishedName(certificate.issuer);
  const altNames = (certificate.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:') || entry.startsWith('IP Address:'))
    .map((entry) => entry.slice(entry.indexOf(':') + 1));
  const commonName = certificate.subject?.CN;
  return {
    subject,
    issuer,
    validFrom: new Date(certificate.valid_from).toISOString(),
    validTo: new Date(certificate.valid_to).toISOString(),
    names: altNames.length > 0 ? altNames : commonName ? [String(commonName)] : [],
    selfSigned: subject === issuer,
    sha256: certificate.fingerprint256,
  };
}

function distinguishedName(fields: PeerCertificate['subject'] | undefined): string {
  return Object.entries(fields ?? {})
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}
