/**
 * How many cases a property test runs. `npm test` runs a fixed, bounded sample with a fixed seed, so a failure
 * reproduces; `npm run fuzz` sets ORIGIN_DOCTOR_FUZZ=long for many more cases and a seed of the moment's choosing
 * (printed, so a failure found there can be replayed with ORIGIN_DOCTOR_FUZZ_SEED).
 */
const LONG = process.env.ORIGIN_DOCTOR_FUZZ === 'long';
const FIXED_SEED = 20261125;

export const FUZZ_SEED = process.env.ORIGIN_DOCTOR_FUZZ_SEED ? Number(process.env.ORIGIN_DOCTOR_FUZZ_SEED) : LONG ? Date.now() % 2147483647 : FIXED_SEED;

/** The number of runs for a property: `quick` in `npm test`, `quick * factor` in the long mode. */
export function fuzzRuns(quick: number, factor = 50): number {
  return LONG ? quick * factor : quick;
}

/** fast-check parameters for one property; the seed is printed in long mode so a failure can be replayed. */
export function fuzzParameters(quick: number, factor = 50): { seed: number; numRuns: number; endOnFailure: boolean } {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(quick, factor), endOnFailure: true };
}

if (LONG) console.log(`fuzz seed ${FUZZ_SEED} (replay with ORIGIN_DOCTOR_FUZZ_SEED=${FUZZ_SEED})`);
