import type { SeveritySetting } from './findings';

/** Everything a user can tune, in the editor (`originDoctor.*`) or through the CLI's `--config` file. */
export interface Settings {
  /** Per-rule severity override, keyed by rule id. */
  rules: Record<string, SeveritySetting>;
  /** The site is proxied by Cloudflare, so Cloudflare's own limits apply in front of the origin. */
  behindCloudflare: boolean;
  cloudflare: {
    /** Cloudflare's Proxy Read Timeout: it answers 524 when the origin takes longer. */
    proxyReadTimeoutSeconds: number;
  };
  nginx: {
    /** Third-party directive names to accept (modules outside nginx's official docs). */
    extraDirectives: string[];
    /** The nginx version whose defaults the rules assume, e.g. `1.22.1`. */
    version: string;
    /** What the resolver quick fix inserts. */
    resolver: string;
  };
  server: {
    /** Memory of the machine in MB; undefined when unknown. */
    memoryMB: number | undefined;
    /** Memory kept for the OS, nginx and the database, in MB. */
    reservedMB: number;
  };
  phpFpm: {
    /** Average resident memory of one PHP-FPM worker, in MB. */
    processMemoryMB: number;
  };
  /** How many findings of one file are shown, first by place; the last one shown counts the rest. */
  maxProblemsPerFile: number;
}

/** Debian stable's nginx, assumed when neither the setting nor `nginx -v` says otherwise. */
export const DEFAULT_NGINX_VERSION = '1.22.1';

export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  behindCloudflare: true,
  cloudflare: { proxyReadTimeoutSeconds: 125 },
  nginx: { extraDirectives: [], version: DEFAULT_NGINX_VERSION, resolver: '127.0.0.53 valid=30s' },
  server: { memoryMB: undefined, reservedMB: 1024 },
  phpFpm: { processMemoryMB: 64 },
  maxProblemsPerFile: 1000,
};

/**
 * Fills a partial, untrusted settings object (from JSON or the editor) with defaults; ignores wrong types.
 * `detectedNginxVersion` (from `nginx -v` at the edge) stands in when the user set no version.
 */
export function resolveSettings(input: unknown, detectedNginxVersion?: string): Settings {
  const source = objectOr(input);
  const rules: Record<string, SeveritySetting> = {};
  for (const [id, value] of Object.entries(objectOr(source.rules))) {
    if (value === 'off' || value === 'hint' || value === 'information' || value === 'warning' || value === 'error') rules[id] = value;
  }
  const cloudflare = objectOr(source.cloudflare);
  const nginx = objectOr(source.nginx);
  const server = objectOr(source.server);
  const phpFpm = objectOr(source.phpFpm);
  const defaults = DEFAULT_SETTINGS;
  return {
    rules,
    behindCloudflare: typeof source.behindCloudflare === 'boolean' ? source.behindCloudflare : defaults.behindCloudflare,
    cloudflare: { proxyReadTimeoutSeconds: positive(cloudflare.proxyReadTimeoutSeconds) ?? defaults.cloudflare.proxyReadTimeoutSeconds },
    nginx: {
      extraDirectives: Array.isArray(nginx.extraDirectives) ? nginx.extraDirectives.filter((d): d is string => typeof d === 'string') : [],
      version: [nginx.version, detectedNginxVersion].find((v): v is string => typeof v === 'string' && /^\d+\.\d+(\.\d+)?$/.test(v)) ?? defaults.nginx.version,
      resolver: typeof nginx.resolver === 'string' && nginx.resolver.trim() !== '' ? nginx.resolver.trim() : defaults.nginx.resolver,
    },
    server: {
      memoryMB: positive(server.memoryMB),
      reservedMB: typeof server.reservedMB === 'number' && server.reservedMB >= 0 ? server.reservedMB : defaults.server.reservedMB,
    },
    phpFpm: { processMemoryMB: positive(phpFpm.processMemoryMB) ?? defaults.phpFpm.processMemoryMB },
    maxProblemsPerFile: positiveInteger(source.maxProblemsPerFile) ?? defaults.maxProblemsPerFile,
  };
}

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined;
}
