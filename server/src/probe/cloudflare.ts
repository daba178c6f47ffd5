import { BlockList, isIP } from 'node:net';
import { headerValue } from './body';
import type { Header } from './types';

/** Cloudflare's published edge ranges (cloudflare.com/ips): an address here is Cloudflare, not the origin. */
const CLOUDFLARE_RANGES: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['173.245.48.0', 20, 'ipv4'], ['103.21.244.0', 22, 'ipv4'], ['103.22.200.0', 22, 'ipv4'], ['103.31.4.0', 22, 'ipv4'],
  ['141.101.64.0', 18, 'ipv4'], ['108.162.192.0', 18, 'ipv4'], ['190.93.240.0', 20, 'ipv4'], ['188.114.96.0', 20, 'ipv4'],
  ['197.234.240.0', 22, 'ipv4'], ['198.41.128.0', 17, 'ipv4'], ['162.158.0.0', 15, 'ipv4'], ['104.16.0.0', 13, 'ipv4'],
  ['104.24.0.0', 14, 'ipv4'], ['172.64.0.0', 13, 'ipv4'], ['131.0.72.0', 22, 'ipv4'],
  ['2400:cb00::', 32, 'ipv6'], ['2606:4700::', 32, 'ipv6'], ['2803:f800::', 32, 'ipv6'], ['2405:b500::', 32, 'ipv6'],
  ['2405:8100::', 32, 'ipv6'], ['2a06:98c0::', 29, 'ipv6'], ['2c0f:f248::', 32, 'ipv6'],
];

const cloudflareEdge = new BlockList();
for (const [network, prefix, family] of CLOUDFLARE_RANGES) cloudflareEdge.addSubnet(network, prefix, family);

export function isCloudflareAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && cloudflareEdge.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The marks Cloudflare's edge puts on every answer it sends or relays. */
export function cloudflareMarks(headers: Header[]): { ray?: string; server?: string } | undefined {
  const ray = headerValue(headers, 'cf-ray');
  const server = headerValue(headers, 'server');
  return ray || server?.toLowerCase().startsWith('cloudflare') ? { ray, server } : undefined;
}

/**
 * Cloudflare's own error pages carry its layout (`cf-error-details`, `cf-wrapper`, the Ray ID line); when the
 * error is on Cloudflare's side the page is a bare nginx-style page that only says "cloudflare".
 */
export function isCloudflareBrandedPage(text: string): boolean {
  return /cf-error-details|cf-wrapper|cf-error-code|Cloudflare Ray ID/i.test(text);
}

/** Cloudflare's 52x codes: what each says about the origin, and what to do. */
export const CLOUDFLARE_CODES: Record<number, { meaning: string; nextStep: string }> = {
  520: {
    meaning: 'the origin returned an empty, unknown or unexpected response',
    nextStep: 'Probe the origin directly (connect-to its IP) and look for a reset or an empty reply; check the web server\'s error log at that time.',
  },
  521: {
    meaning: 'the origin refused the connection (web server down)',
    nextStep: 'Start the web server (`sudo systemctl restart nginx`) and make sure the firewall accepts Cloudflare\'s IP ranges (cloudflare.com/ips).',
  },
  522: {
    meaning: 'the connection to the origin timed out (firewall or host down)',
    nextStep: 'Check the origin is up and its firewall accepts Cloudflare\'s IP ranges on ports 80/443; check the DNS record points to the right IP.',
  },
  523: {
    meaning: 'Cloudflare could not reach the origin (wrong IP in DNS, routing)',
    nextStep: 'Check the A/AAAA record in Cloudflare\'s DNS points to the origin\'s current IP.',
  },
  524: {
    meaning: 'the origin accepted the connection but did not answer within Cloudflare\'s Proxy Read Timeout',
    nextStep: 'Find the slow request in the access log (`$request_time`) and make it faster, or move it to a background job; raising nginx timeouts does not help past Cloudflare\'s limit.',
  },
  525: {
    meaning: 'the TLS handshake between Cloudflare and the origin failed',
    nextStep: 'Probe https:// on the origin directly (connect-to its IP): the TLS verdict says whether the protocols, ciphers or SNI are the problem.',
  },
  526: {
    meaning: 'the origin\'s certificate is invalid for Full (strict) mode',
    nextStep: 'Probe https:// on the origin directly (connect-to its IP) to see which certificate it serves; install a valid one or a Cloudflare Origin CA certificate.',
  },
  530: {
    meaning: 'Cloudflare could not resolve or reach the origin (a 1xxx error is in the page)',
    nextStep: 'Read the 1xxx code on the page: 1016 means the origin\'s DNS name does not resolve, 1033 a Cloudflare Tunnel that is not connected (`cloudflared tunnel info`).',
  },
};
