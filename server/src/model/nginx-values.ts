/** nginx's value syntaxes (ngx_parse_size, ngx_parse_time), so rules compare what nginx compares. */

/** Bytes of a size like `512`, `32k`, `1m`, `1g` (case-insensitive); undefined when nginx would refuse it. */
export function parseNginxSize(value: string): number | undefined {
  // Read by hand, not by a regular expression: asked for every buffer and size of every block of a big config.
  const unit = value.charCodeAt(value.length - 1) | 0x20;
  const scale = unit === 0x6b /* k */ ? 1024 : unit === 0x6d /* m */ ? 1024 ** 2 : unit === 0x67 /* g */ ? 1024 ** 3 : 1;
  const digits = scale === 1 ? value.length : value.length - 1;
  if (digits === 0) return undefined;
  let number = 0;
  for (let i = 0; i < digits; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    number = number * 10 + digit;
  }
  // Beyond 15 digits the sum above may round differently from Number's exact reading.
  return (digits > 15 ? Number(value.slice(0, digits)) : number) * scale;
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
