/** nginx's value syntaxes (ngx_parse_size, ngx_parse_time), so rules compare what nginx compares. */

/** Bytes of a size like `512`, `32k`, `1m`, `1g` (case-insensitive); undefined when nginx would refuse it. */
export function parseNginxSize(value: string): number | undefined {
  const match = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (!match) return undefined;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(match[1]) * scale;
}

const TIME_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };

/** Seconds of a time like `60`, `90s`, `1m30s`, `500ms`, `1h`; undefined when nginx would refuse it. */
export function parseNginxTime(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const parts = value.match(/\d+(ms|s|m|h|d|w|M|y)/g);
  if (!parts || parts.join('') !== value) return undefined;
  let seconds = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d|w|M|y)$/.exec(part)!;
    seconds += Number(amount) * TIME_UNITS[unit];
  }
  return seconds;
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
