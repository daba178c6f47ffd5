/** Go's `time.ParseDuration`, which reads every duration of a cloudflared config (`30s`, `1m30s`, `500ms`). */

/** A Map, as the unit is whatever was typed: a plain object would take `1constructor` for a duration. */
const NANOSECONDS: ReadonlyMap<string, number> = new Map([['ns', 1], ['us', 1e3], ['µs', 1e3], ['μs', 1e3], ['ms', 1e6], ['s', 1e9], ['m', 60e9], ['h', 3600e9]]);
const MAX_NANOSECONDS = 2 ** 63 - 1;

/** The duration in seconds, or Go's error text (`time: missing unit in duration "30"`). */
export function parseGoDuration(text: string): { seconds: number } | { error: string } {
  const invalid = { error: `time: invalid duration ${JSON.stringify(text)}` };
  let rest = text;
  const negative = rest.startsWith('-');
  if (rest.startsWith('-') || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return { seconds: 0 };
  if (rest === '') return invalid;
  let total = 0;
  while (rest !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest)!;
    if (number[0] === '' || number[0] === '.') return invalid;
    rest = rest.slice(number[0].length);
    const unit = /^[^0-9.]*/.exec(rest)![0];
    if (unit === '') return { error: `time: missing unit in duration ${JSON.stringify(text)}` };
    const scale = NANOSECONDS.get(unit);
    if (scale === undefined) return { error: `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}` };
    rest = rest.slice(unit.length);
    total += Number(`${number[1] || '0'}.${number[2] ?? ''}0`) * scale;
    if (total > MAX_NANOSECONDS) return invalid;
  }
  return { seconds: ((negative ? -1 : 1) * total) / 1e9 };
}

