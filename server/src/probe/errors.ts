/** The code of a Node or OpenSSL error (ECONNREFUSED, CERT_HAS_EXPIRED, HPE_INVALID_CONSTANT…). */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'ERROR';
}

/** OpenSSL's own words (`tlsv1 alert protocol version`) rather than its error stack line, when there are some. */
export function messageOf(error: unknown): string {
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string') return reason;
  return error instanceof Error ? error.message : String(error);
}
