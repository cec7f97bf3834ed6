// Intervals for shares (the error rate, the cold-start share): Wilson's score interval for
// one proportion, and Newcombe's hybrid score interval for the difference of two (Newcombe
// 1998, "Interval estimation for the difference between independent proportions", method
// 10). Unlike the bootstrap or the Wald interval, they stay honest at 0 errors out of 80:
// the bootstrap of a run without errors can only ever draw 0, and would call one new error a
// certain regression.
export const Z_975 = 1.959963984540054;

/** Wilson's 95% score interval of k successes in n trials (n may be fractional: an effective size). */
export function wilson(k: number, n: number, z = Z_975): [number, number] {
  if (n <= 0) return [0, 1];
  const p = Math.min(1, Math.max(0, k / n));
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface Proportion {
  successes: number;
  /** Trials; an effective count (trials / dispersion) when runs disagree more than chance allows. */
  trials: number;
}

/** Newcombe's 95% interval of p_current − p_baseline. */
export function newcombe(baseline: Proportion, current: Proportion, z = Z_975): [number, number] {
  const pb = baseline.trials > 0 ? baseline.successes / baseline.trials : 0;
  const pc = current.trials > 0 ? current.successes / current.trials : 0;
  const [lb, ub] = wilson(baseline.successes, baseline.trials, z);
  const [lc, uc] = wilson(current.successes, current.trials, z);
  const d = pc - pb;
  return [d - Math.sqrt((pc - lc) ** 2 + (ub - pb) ** 2), d + Math.sqrt((uc - pc) ** 2 + (pb - lb) ** 2)];
}

/**
 * Runs of one side pooled, with the overdispersion between them: φ = max(1, Pearson χ² / (k − 1)),
 * the quasi-binomial dispersion. Runs that disagree more than binomial chance allows count
 * as fewer trials (trials / φ), so a repeat's spread between runs widens the interval.
 */
export function pooledProportion(runs: readonly Proportion[]): Proportion {
  const successes = runs.reduce((a, r) => a + r.successes, 0);
  const trials = runs.reduce((a, r) => a + r.trials, 0);
  if (runs.length < 2 || trials === 0) return { successes, trials };
  const p = successes / trials;
  let chi2 = 0;
  if (p > 0 && p < 1) {
    for (const r of runs) {
      if (r.trials === 0) continue;
      const expected = r.trials * p;
      chi2 += (r.successes - expected) ** 2 / (expected * (1 - p));
    }
  }
  const phi = Math.max(1, chi2 / (runs.length - 1));
  return { successes: successes / phi, trials: trials / phi };
}
