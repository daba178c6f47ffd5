import { promises as dns } from 'node:dns';
import { codeOf } from './errors';
import type { DnsReport, ResolverAnswer } from './types';
import type { ProbeTarget } from './target';
import { withinLimits, type StepLimits } from './wait';

/** How many of the system's DNS servers to ask, one by one, when the system resolver finds nothing. */
const SERVERS_TO_EXPLAIN = 3;

/**
 * The address to connect to. Without connect-to or an IP in the URL, the system resolver decides, as for
 * curl; when it fails, each configured DNS server is asked on its own so the report says who answered what.
 */
export async function resolveTarget(target: ProbeTarget, limits: StepLimits & { dnsServers?: string[] }): Promise<DnsReport> {
  const host = target.host;
  if (target.connectTo) return { host, source: 'connect-to', addresses: [target.connectTo.address], answers: [], failed: false };
  if (target.hostIsIp) return { host, source: 'ip-literal', addresses: [host], answers: [], failed: false };
  const started = performance.now();
  const finish = (source: DnsReport['source'], answers: ResolverAnswer[]): DnsReport => {
    const addresses = [...new Set(answers.flatMap((a) => a.addresses ?? []))];
    return { host, source, addresses, answers, durationMs: performance.now() - started, failed: addresses.length === 0 };
  };
  if (limits.dnsServers?.length) return finish('dns-servers', await askServers(host, limits.dnsServers, limits));
  const system = await askSystem(host, limits);
  if (system.addresses) return finish('system', [system]);
  const servers = dns.getServers().slice(0, SERVERS_TO_EXPLAIN);
  return finish('system', [system, ...(await askServers(host, servers, limits, { stopAtFirstAnswer: false }))]);
}

async function askSystem(host: string, limits: StepLimits): Promise<ResolverAnswer> {
  const answer: ResolverAnswer = { resolver: 'system resolver', query: 'getaddrinfo' };
  try {
    const found = await withinLimits('DNS lookup', limits, dns.lookup(host, { all: true }), () => undefined);
    answer.addresses = found.map((a) => a.address);
  } catch (error) {
    if (limits.signal?.aborted) throw error;
    answer.error = codeOf(error);
  }
  return answer;
}

/** Asks each server for A and AAAA; by default stops after the first server that gives an address. */
async function askServers(host: string, servers: string[], limits: StepLimits, { stopAtFirstAnswer = true } = {}): Promise<ResolverAnswer[]> {
  const answers: ResolverAnswer[] = [];
  for (const server of servers) {
    const resolver = new dns.Resolver({ timeout: limits.timeoutMs, tries: 1 });
    resolver.setServers([server]);
    const ask = async (query: 'A' | 'AAAA'): Promise<ResolverAnswer> => {
      const answer: ResolverAnswer = { resolver: server, query };
      try {
        const lookup = query === 'A' ? resolver.resolve4(host) : resolver.resolve6(host);
        answer.addresses = await withinLimits(`DNS ${query} query`, limits, lookup, () => resolver.cancel());
      } catch (error) {
        if (limits.signal?.aborted) throw error;
        answer.error = codeOf(error);
      }
      return answer;
    };
    const pair = await Promise.all([ask('A'), ask('AAAA')]);
    answers.push(...pair);
    if (stopAtFirstAnswer && pair.some((a) => a.addresses?.length)) break;
  }
  return answers;
}
