import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';

/**
 * Linear time, checked in the process: an input 8 times larger may take at most 32 times longer. Linear work gives
 * about 8; quadratic work gives 64. The bound is generous because the tests run on a 2-core machine shared with
 * other jobs, where garbage collection of the large input and a busy neighbour can stretch one measurement; so the
 * large input is measured again (best of up to three) only when it is over the bound: a real quadratic stays over
 * it every time. Noise on the small input only makes the ratio smaller, so it is timed once, after a warm-up run.
 */
const SIZE_FACTOR = 8;
const MAX_TIME_RATIO = SIZE_FACTOR * 4;
/** Times below this are mostly timer and scheduler noise; the small input counts as taking at least this long. */
const NOISE_FLOOR_MS = 2;

function elapsed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/**
 * Runs `work` on `make(size / 8)` and on `make(size)`, asserts the second stays within the bound above, and returns
 * the large input and its result for further checks, with the times measured.
 */
export function assertLinearTime<T>(
  label: string,
  work: (input: string) => T,
  make: (size: number) => string,
  size: number,
): { input: string; result: T; summary: string } {
  const small = make(Math.ceil(size / SIZE_FACTOR));
  const large = make(size);
  work(small); // compiles the code paths before anything is timed
  const smallTime = Math.max(NOISE_FLOOR_MS, elapsed(() => work(small)));
  let result: T | undefined;
  let largeTime = Infinity;
  for (let attempt = 0; attempt < 3 && largeTime >= MAX_TIME_RATIO * smallTime; attempt++) {
    largeTime = Math.min(largeTime, elapsed(() => (result = work(large))));
  }
  const ratio = largeTime / smallTime;
  const summary = `${SIZE_FACTOR}× the input took ${ratio.toFixed(1)}× the time (${smallTime.toFixed(1)} ms → ${largeTime.toFixed(1)} ms)`;
  assert.ok(ratio < MAX_TIME_RATIO, `${label}: ${summary}, more than linear`);
  return { input: large, result: result as T, summary };
}
