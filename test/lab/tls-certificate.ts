import { spawnSync } from 'node:child_process';
import type { OriginFolder } from './origin-folder';

/** A throwaway self-signed certificate for a TLS backend on 127.0.0.1, made with the openssl CLI. */
export function writeSelfSignedCertificate(folder: OriginFolder, dir: string): { certificate: string; key: string } {
  folder.makeDir(dir);
  const certificate = folder.path(`${dir}/backend.crt`);
  const key = folder.path(`${dir}/backend.key`);
  const result = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', key, '-out', certificate,
  ], { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) throw new Error(`openssl could not make a certificate: ${result.error?.message ?? result.stderr}`);
  return { certificate, key };
}
