import { parse } from 'yaml';

/** What the origin model needs of a Docker Compose file: which service runs what, mounts what, publishes what. */
export interface ComposeService {
  name: string;
  image?: string;
  /** The command as one string (a list is joined with spaces). */
  command?: string;
  /** Bind mounts, `source:target[:mode]`, sources as written (relative to the compose file's folder). */
  volumes: Array<{ source: string; target: string }>;
  /** Published ports: a host port and the container port it reaches. */
  ports: Array<{ host: number; container: number }>;
}

export interface ComposeFile {
  services: ComposeService[];
}

/** Reads a compose file leniently: anything that is not the expected shape is skipped, never thrown. */
export function parseCompose(text: string): ComposeFile {
  let document: unknown;
  try {
    // logLevel 'error': still throws on an error, but writes no warning to the process's stderr.
    document = parse(text, { uniqueKeys: false, logLevel: 'error' });
  } catch {
    return { services: [] };
  }
  const services = record(record(document)?.services);
  if (!services) return { services: [] };
  return {
    services: Object.entries(services).map(([name, value]) => {
      const service = record(value) ?? {};
      const command = Array.isArray(service.command) ? service.command.map(String).join(' ') : typeof service.command === 'string' ? service.command : undefined;
      return {
        name,
        image: typeof service.image === 'string' ? service.image : undefined,
        command,
        volumes: list(service.volumes).flatMap(volumeOf),
        ports: list(service.ports).flatMap(portOf),
      };
    }),
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function volumeOf(entry: unknown): ComposeService['volumes'] {
  if (typeof entry === 'string') {
    const [source, target] = entry.split(':');
    return source && target ? [{ source, target }] : [];
  }
  const long = record(entry);
  return long && typeof long.source === 'string' && typeof long.target === 'string' ? [{ source: long.source, target: long.target }] : [];
}

/** `8080:80`, `127.0.0.1:8080:80`, `8080:80/tcp`, or the long form `{ published, target }`. */
function portOf(entry: unknown): ComposeService['ports'] {
  if (typeof entry === 'string' || typeof entry === 'number') {
    const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
    if (parts.length < 2) return [];
    const host = Number(parts[parts.length - 2]);
    const container = Number(parts[parts.length - 1]);
    return Number.isInteger(host) && Number.isInteger(container) ? [{ host, container }] : [];
  }
  const long = record(entry);
  const host = Number(long?.published);
  const container = Number(long?.target);
  return Number.isInteger(host) && Number.isInteger(container) ? [{ host, container }] : [];
}
