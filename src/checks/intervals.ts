// The 95% interval of a change (current − baseline) and the smallest change the pair of
// runs could detect. podbench's method, in full (docs/ci.md explains it for users):
//
//   one run a side, percentiles, means and throughputs: the percentile bootstrap of the
//     difference. Each side's requests are resampled on their own (./bootstrap.ts); the
//     2.5% and 97.5% points of (current replicate − baseline replicate) around the measured
//     change are the interval. No distribution is assumed: latencies are skewed and often
//     bimodal, which rules out normal-theory intervals for their tails.
//   shares (errorRate, coldStarts.share...): Newcombe's hybrid score interval
//     (./score-interval.ts), exact enough at 0 errors where a bootstrap is not.
//   repeats (--repeat N on either side): each side's value is the mean of its runs, and its
//     variance the larger of (a) the spread between its runs and (b) the noise within one
//     run as the bootstrap measures it, divided by N; the interval is Welch's, a side's
//     degrees of freedom N − 1 when (a) decides and unlimited when (b) does (thousands of
//     replicates measure it). (a) catches what differs between runs (a busy
//     machine, a warmer endpoint), (b) stops three runs that agree by luck from claiming a
//     precision no single run has. Shares pool their runs, counting runs that disagree
//     beyond chance as fewer requests (quasi-binomial dispersion).
//   files without per-request values (written before podbench kept them): repeats on both
//     sides fall back to Welch over the runs; anything else has no interval.
//
// Detectable change: with standard error se, a change of (z₀.₉₇₅ + z₀.₈₀)·se = 2.8·se is
// flagged 80% of the time at 95% confidence (t quantiles instead of z for repeats). For the
// bootstrap, se is the interval's half width / 1.96.
//
// Everything random is seeded by the variant, the metric and the run, so the same two files
// give the same verdict on any machine.
import { createRng, hashString } from '../util/rng.js';
import { bootstrapDeviations, tableThroughput, tooFewReason, varianceOf } from './bootstrap.js';
import type { Estimate } from './confidence.js';
import type { MetricInfo } from './metrics.js';
import { quantile } from '../metrics/percentiles.js';
import type { Sample } from './samples.js';
import { Z_975, newcombe, pooledProportion, type Proportion } from './score-interval.js';
import { studentTQuantile } from './student-t.js';

const Z_80 = 0.8416212335729143;
/** Detectable change per unit of the interval's half width, for normal-theory intervals. */
const POWER_FACTOR = (Z_975 + Z_80) / Z_975;

export type IntervalMethod = 'bootstrap' | 'score' | 'runs';

export type ChangeInterval =
  | { ok: true; method: IntervalMethod; ci: [number, number]; detectable: number }
  /** tooFew: the method applies but the runs are too short for it (no verdict); else the band alone judges. */
  | { ok: false; reason: string; tooFew: boolean };

/** One side of a comparison: the metric over its runs, and each run's sample when the file kept them. */
export interface Side {
  estimate: Estimate;
  /** One per run that has a request table, undefined when the file has none. */
  samples?: Array<Sample | undefined>;
}

function tQuantile(p: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return p === 0.975 ? Z_975 : Z_80;
  return studentTQuantile(p, df);
}

function welch(
  change: number,
  b: { v: number; df: number },
  c: { v: number; df: number },
  method: IntervalMethod,
): ChangeInterval {
  const se = Math.sqrt(b.v + c.v);
  if (se === 0) return { ok: true, method, ci: [change, change], detectable: 0 };
  const term = (s: { v: number; df: number }) => (Number.isFinite(s.df) ? s.v ** 2 / s.df : 0);
  const denominator = term(b) + term(c);
  const df = denominator > 0 ? (b.v + c.v) ** 2 / denominator : Number.POSITIVE_INFINITY;
  const half = tQuantile(0.975, df) * se;
  return {
    ok: true,
    method,
    ci: [change - half, change + half],
    detectable: se * (tQuantile(0.975, df) + tQuantile(0.8, df)),
  };
}

function seeded(label: string, side: string, run: number) {
  return createRng(hashString(`${label}\u0000${side}\u0000${run}`));
}

function shareInterval(change: number, baseline: Side, current: Side): ChangeInterval {
  const pool = (side: Side): Proportion | undefined => {
    const runs = (side.samples ?? []).flatMap((s) =>
      s?.kind === 'share' ? [{ successes: s.successes, trials: s.trials }] : [],
    );
    return runs.length > 0 ? pooledProportion(runs) : undefined;
  };
  const b = pool(baseline);
  const c = pool(current);
  if (!b || !c || b.trials === 0 || c.trials === 0)
    return { ok: false, reason: 'no request to count on one side', tooFew: true };
  const [lo, hi] = newcombe(b, c);
  // Centred on the change as the table shows it (means of the runs' shares; pooled shares differ only when runs differ in size).
  const shift = change - (c.successes / c.trials - b.successes / b.trials);
  return { ok: true, method: 'score', ci: [lo + shift, hi + shift], detectable: ((hi - lo) / 2) * POWER_FACTOR };
}

/** The run's own value of the statistic, for scaling throughput deviations. */
function runValue(sample: Exclude<Sample, { kind: 'share' }>, fallback: number): number {
  return sample.kind === 'throughput' ? (tableThroughput(sample) ?? fallback) : fallback;
}

/** Each run's bootstrap deviations, or why there are none. */
function sideDeviations(
  side: Side,
  label: string,
  name: string,
): { runs: Float64Array[] } | { reason: string; tooFew: boolean } {
  const runs: Float64Array[] = [];
  const reasons: string[] = [];
  for (const [i, sample] of (side.samples ?? []).entries()) {
    if (!sample || sample.kind === 'share') continue;
    if (sample.kind === 'throughput' && sample.load.model === 'other')
      return { reason: 'a throughput under ramps of users or probes has no schedule to replay', tooFew: false };
    const why = tooFewReason(sample);
    if (why) {
      reasons.push(why);
      continue;
    }
    runs.push(bootstrapDeviations(sample, runValue(sample, side.estimate.mean), seeded(label, name, i)));
  }
  if (runs.length === 0) return { reason: reasons[0] ?? 'no per-request values', tooFew: true };
  return { runs };
}

/** The interval of the change of `metric` between two sides, or why there is none. */
export function changeInterval(
  metric: MetricInfo,
  label: string,
  baseline: Side,
  current: Side,
  sampleKind: Sample['kind'] | undefined,
): ChangeInterval {
  const change = current.estimate.mean - baseline.estimate.mean;
  const kb = baseline.estimate.n;
  const kc = current.estimate.n;
  if (baseline.samples === undefined || current.samples === undefined) {
    const old = baseline.samples === undefined ? 'the baseline' : 'the current run';
    if (kb >= 2 && kc >= 2 && baseline.estimate.sd !== undefined && current.estimate.sd !== undefined) {
      return welch(
        change,
        { v: baseline.estimate.sd ** 2 / kb, df: kb - 1 },
        { v: current.estimate.sd ** 2 / kc, df: kc - 1 },
        'runs',
      );
    }
    return { ok: false, reason: `${old} kept no per-request values (a file from an older podbench)`, tooFew: false };
  }
  if (sampleKind === undefined) {
    return {
      ok: false,
      reason: `${metric.name} has no per-request values (counts, min, max and per-chunk metrics are compared by their band)`,
      tooFew: false,
    };
  }
  if (sampleKind === 'share') return shareInterval(change, baseline, current);
  const b = sideDeviations(baseline, label, 'baseline');
  if ('reason' in b) return { ok: false, reason: `baseline: ${b.reason}`, tooFew: b.tooFew };
  const c = sideDeviations(current, label, 'current');
  if ('reason' in c) return { ok: false, reason: `current run: ${c.reason}`, tooFew: c.tooFew };
  if (kb === 1 && kc === 1 && b.runs.length === 1 && c.runs.length === 1) {
    const db = b.runs[0] as Float64Array;
    const dc = c.runs[0] as Float64Array;
    const diff = dc.map((d, i) => d - (db[i] as number)).sort();
    const lo = quantile(diff, 0.025) as number;
    const hi = quantile(diff, 0.975) as number;
    return {
      ok: true,
      method: 'bootstrap',
      ci: [change + lo, change + hi],
      detectable: ((hi - lo) / 2) * POWER_FACTOR,
    };
  }
  const spread = (side: Side, runs: Float64Array[]) => {
    const k = side.estimate.n;
    const within = runs.reduce((a, r) => a + varianceOf(r), 0) / runs.length;
    const between = k >= 2 && side.estimate.sd !== undefined ? side.estimate.sd ** 2 : 0;
    // The spread between runs, estimated from k values, has k − 1 degrees of freedom; the
    // floor is measured from thousands of replicates, as good as known.
    return between > within ? { v: between / k, df: k - 1 } : { v: within / k, df: Number.POSITIVE_INFINITY };
  };
  return welch(change, spread(baseline, b.runs), spread(current, c.runs), 'runs');
}
