import { readFileSync } from 'node:fs';

/** The lines Debian's /etc/hosts gives the IPv6 loopback. */
const DEBIAN_IPV6_LOCALHOST = '::1     localhost ip6-localhost ip6-loopback';

/** Whether a hosts file maps `localhost` to ::1, as Debian's default one does. */
export function mapsLocalhostToIpv6(hosts: string): boolean {
  return hosts.split('\n').some((line) => {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    return address === '::1' && names.includes('localhost');
  });
}

/**
 * The machine's hosts file, and the same with Debian's `::1 localhost` line when it lacks one:
 * what a process must see as /etc/hosts for `localhost` to have both addresses.
 */
export function hostsWithIpv6Localhost(): { machine: string; withIpv6: string } {
  const machine = readFileSync('/etc/hosts', 'utf8');
  return { machine, withIpv6: mapsLocalhostToIpv6(machine) ? machine : `${machine.trimEnd()}\n${DEBIAN_IPV6_LOCALHOST}\n` };
}
