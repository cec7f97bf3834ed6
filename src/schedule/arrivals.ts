// Open-loop arrival times: a pure function of the rate profile, the arrival process and a
// seeded RNG. The k-th arrival is where the cumulative intensity Λ(t) = ∫ rate reaches the
// k-th target: k for evenly spaced arrivals, a sum of unit exponentials for Poisson (the
// standard time-change construction of a non-homogeneous Poisson process). With a
// piecewise-linear rate, Λ is piecewise quadratic and inverts exactly.
import type { Rng } from '../util/rng.js';
import type { LevelPoint } from './load-plan.js';

/** Yields arrival times in ms from the start, until `endMs` (exclusive). The first is at 0 for constant arrivals. */
export function* arrivalTimes(
  profile: readonly LevelPoint[],
  arrival: 'constant' | 'poisson',
  rng: Rng,
  endMs = Number.POSITIVE_INFINITY,
): Generator<number> {
  // Rates are per second in the profile; work per millisecond.
  const points = profile.map((p) => ({ atMs: p.atMs, perMs: p.level / 1000 }));
  let target = arrival === 'poisson' ? rng.exponential(1) : 0; // Λ of the next arrival
  let segment = 0; // targets only grow, so segments are scanned forward once
  let segmentStartLambda = 0;
  for (;;) {
    let time: number | undefined;
    for (;;) {
      const a = points[segment];
      if (!a) break;
      const b = points[segment + 1];
      const need = target - segmentStartLambda;
      if (!b) {
        // After the last breakpoint the rate stays constant.
        if (a.perMs > 0) time = a.atMs + need / a.perMs;
        break;
      }
      const span = b.atMs - a.atMs;
      const segmentLambda = ((a.perMs + b.perMs) / 2) * span;
      if (span > 0 && need <= segmentLambda) {
        // Λ(x) = r0·x + (r1 − r0)·x² / (2·span) for x in [0, span]
        const quad = (b.perMs - a.perMs) / (2 * span);
        const x =
          Math.abs(quad) < 1e-15
            ? need / a.perMs
            : (-a.perMs + Math.sqrt(Math.max(0, a.perMs * a.perMs + 4 * quad * need))) / (2 * quad);
        time = a.atMs + Math.min(Math.max(x, 0), span);
        break;
      }
      segment += 1;
      segmentStartLambda += segmentLambda;
    }
    if (time === undefined || time >= endMs) return;
    yield time;
    target += arrival === 'poisson' ? rng.exponential(1) : 1;
  }
}
