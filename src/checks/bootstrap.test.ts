// valueDeviationsOf finds a replicate's percentiles by counting draws, not by sorting them:
// held here against the plain definition (sort the replicate, type-7 quantile), draw for draw.
import { describe, expect, it } from 'vitest';
import { quantile } from '../metrics/percentiles.js';
import { createRng } from '../util/rng.js';
import { MAX_RESAMPLE_SIZE, throughputDeviationsOf, valueDeviationsOf } from './bootstrap.js';
import type { Sample, Statistic } from './samples.js';

/** The same replicates the plain way: draw m values (the same generator), sort them, read each statistic. */
function plainDeviations(
  values: Float64Array,
  total: number,
  statistics: Statistic[],
  seed: number,
  resamples: number,
) {
  const rng = createRng(seed);
  const n = values.length;
  const m = Math.min(n, MAX_RESAMPLE_SIZE);
  const shrink = Math.sqrt(m / Math.max(n, total));
  const sorted = Float64Array.from(values).sort();
  const statisticOf = (of: Float64Array, statistic: Statistic) =>
    statistic.kind === 'mean' ? of.reduce((a, b) => a + b, 0) / of.length : (quantile(of, statistic.p) as number);
  const centres = statistics.map((statistic) => statisticOf(sorted, statistic));
  const outs = statistics.map(() => new Float64Array(resamples));
  const draws = new Float64Array(m);
  for (let b = 0; b < resamples; b++) {
    rng.fill(draws);
    const replicate = Float64Array.from(draws, (d) => sorted[Math.floor(d * n)] as number).sort();
    statistics.forEach((statistic, s) => {
      (outs[s] as Float64Array)[b] = (statisticOf(replicate, statistic) - (centres[s] as number)) * shrink;
    });
  }
  return outs;
}

describe('valueDeviationsOf', () => {
  const statistics: Statistic[] = [
    { kind: 'quantile', p: 0.99 },
    { kind: 'mean' },
    { kind: 'quantile', p: 0.5 },
    { kind: 'quantile', p: 0.9 },
    { kind: 'quantile', p: 0.95 },
    { kind: 'quantile', p: 0.951 },
    { kind: 'quantile', p: 0.999 },
  ];

  it.each([
    { n: 10, ties: false },
    { n: 200, ties: true },
    { n: 1000, ties: false },
    { n: 5000, ties: true },
  ])('gives what sorting each replicate gives (n=$n, ties=$ties)', ({ n, ties }) => {
    const rng = createRng(n);
    const values = Float64Array.from({ length: n }, () =>
      ties ? Math.floor(rng.next() * 20) : rng.lognormal(500, 0.6),
    );
    const resamples = 60;
    const got = valueDeviationsOf(values, n * 3, statistics, createRng(7), resamples);
    const want = plainDeviations(values, n * 3, statistics, 7, resamples);
    statistics.forEach((_, s) => {
      const g = got[s] as Float64Array;
      const w = want[s] as Float64Array;
      for (let b = 0; b < resamples; b++) expect(g[b]).toBeCloseTo(w[b] as number, 9);
    });
  });
});

describe('throughputDeviationsOf', () => {
  type ThroughputSample = Extract<Sample, { kind: 'throughput' }>;
  const rng = createRng(3);
  const n = 1500;
  const slotMs = Float64Array.from({ length: n }, () => rng.lognormal(800, 0.5));
  const table = (units: Float64Array, model: 'closed' | 'open'): ThroughputSample =>
    ({
      kind: 'throughput',
      units,
      slotMs,
      scheduledMs: Float64Array.from({ length: n }, (_, i) => i * 20),
      load: model === 'closed' ? { model, concurrency: 16 } : { model },
      total: n * 2,
    }) as ThroughputSample;

  it.each(['closed', 'open'] as const)(
    'gives each of several throughputs of one table what it alone would get from the same seed (%s loop)',
    (model) => {
      const requests = table(new Float64Array(n).fill(1), model);
      const tokens = table(
        Float64Array.from({ length: n }, () => Math.floor(rng.next() * 300)),
        model,
      );
      const [both0, both1] = throughputDeviationsOf([requests, tokens], [20, 3000], createRng(9), 200);
      const [alone1] = throughputDeviationsOf([tokens], [3000], createRng(9), 200);
      const [alone0] = throughputDeviationsOf([requests], [20], createRng(9), 200);
      expect(Array.from(both0 as Float64Array)).toEqual(Array.from(alone0 as Float64Array));
      expect(Array.from(both1 as Float64Array)).toEqual(Array.from(alone1 as Float64Array));
      // They are deviations, not one figure repeated: they spread around 0.
      expect(new Set(both1).size).toBeGreaterThan(100);
    },
  );
});
