// How far a run's statistic could have landed by chance, from the run's own requests: the
// nonparametric bootstrap (Efron). Resample the run's requests with replacement, recompute
// the statistic, repeat B times; the spread of the replicates around the run's value is the
// run's sampling noise. Everything is seeded, so the same files give the same verdict.
//
//   values (a mean or a type-7 percentile of per-request values): resample the values;
//   throughput: resample whole requests (their units and slot times) and replay the run's
//     schedule to get the window: a closed loop gives each request to the user that is free
//     first (the end of a run, when users finish at different times, is part of the noise);
//     an open loop keeps its arrival times. Other load models (ramps of users) get no replay.
//   shares are not resampled: their interval is Newcombe's (./score-interval.ts).
//
// A table holding a uniform sample of a larger run (request-table.ts), or a run larger than
// MAX_RESAMPLE_SIZE, is resampled at size m and the deviations scaled by √(m/n), n the run's
// request count (the m-out-of-n bootstrap; valid for statistics that settle as 1/√n, means
// and percentiles of continuous distributions among them). Each replicate then costs O(m).
import { quantile } from '../metrics/percentiles.js';
import type { Rng } from '../util/rng.js';
import type { Sample, Statistic } from './samples.js';

/** Replicates per side: the 2.5% and 97.5% points then rest on 50 replicates each. */
export const BOOTSTRAP_RESAMPLES = 2000;
/** Requests drawn per replicate at most (see the m-out-of-n note above). */
export const MAX_RESAMPLE_SIZE = 1000;
/** A mean of fewer values is too skewed for the bootstrap to cover at its stated rate (test/checks/coverage.test.ts). */
export const MIN_VALUES_FOR_MEAN = 30;
/** A percentile p needs at least this many values on each side of it: p95 needs 40, p99 200. */
export const MIN_VALUES_BEYOND_PERCENTILE = 2;
export const MIN_VALUES_FOR_PERCENTILE = 10;
export const MIN_REQUESTS_FOR_THROUGHPUT = 20;

type ValuesSample = Extract<Sample, { kind: 'values' }>;

/** Draw counts are also kept per block of this many sorted values, so finding a rank walks blocks first. */
const COUNT_BLOCK_BITS = 6;
const COUNT_BLOCK = 1 << COUNT_BLOCK_BITS;
type ThroughputSample = Extract<Sample, { kind: 'throughput' }>;

function percentileName(p: number): string {
  return `p${Math.round(p * 100)}`;
}

/** Why this sample is too small or unsuited for an interval, or undefined when it is fine. */
export function tooFewReason(sample: Sample): string | undefined {
  if (sample.kind === 'share') return sample.trials > 0 ? undefined : 'no request to count';
  if (sample.kind === 'throughput') {
    const n = sample.units.length;
    return n < MIN_REQUESTS_FOR_THROUGHPUT
      ? `${n} request${n === 1 ? '' : 's'}; a throughput interval needs ${MIN_REQUESTS_FOR_THROUGHPUT}`
      : undefined;
  }
  const n = sample.values.length;
  const { statistic } = sample;
  if (statistic.kind === 'mean') {
    return n < MIN_VALUES_FOR_MEAN ? `${n} values; a mean's interval needs ${MIN_VALUES_FOR_MEAN}` : undefined;
  }
  const p = statistic.p;
  const needed = Math.max(
    MIN_VALUES_FOR_PERCENTILE,
    Math.ceil(MIN_VALUES_BEYOND_PERCENTILE / Math.min(p, 1 - p) - 1e-9),
  );
  return n < needed ? `${n} values; an interval of ${percentileName(p)} needs ${needed}` : undefined;
}

function statisticOf(sorted: Float64Array, statistic: Statistic): number {
  if (statistic.kind === 'quantile') return quantile(sorted, statistic.p) as number;
  let sum = 0;
  for (const v of sorted) sum += v;
  return sum / sorted.length;
}

/**
 * Deviations of several statistics of one set of values, all from the same B resamples (a
 * replicate's mean and percentiles come from one draw of m values). With one statistic it
 * draws exactly what a comparison draws for it, so a run's own intervals and a comparison's
 * rest on the same resamples for the same seed.
 */
export function valueDeviationsOf(
  values: Float64Array,
  total: number,
  statistics: readonly Statistic[],
  rng: Rng,
  resamples = BOOTSTRAP_RESAMPLES,
): Float64Array[] {
  const n = values.length;
  const m = Math.min(n, MAX_RESAMPLE_SIZE);
  const shrink = Math.sqrt(m / Math.max(n, total));
  const sorted = Float64Array.from(values).sort();
  const outs = statistics.map(() => new Float64Array(resamples));
  const centres = statistics.map((statistic) => statisticOf(sorted, statistic));
  const needCounts = statistics.some((statistic) => statistic.kind === 'quantile');
  // A replicate's percentile without sorting it: count how often each of the sorted values
  // was drawn (and how many draws fell in each block of COUNT_BLOCK values), then walk the
  // block counts and one block's counts to the ranks type 7 interpolates between. Every rank
  // any statistic needs is found in one walk up the counts, in ascending order, and only the
  // counts a replicate drew are set back to 0: a replicate costs O(m + n/COUNT_BLOCK), not
  // O(n) per statistic (a report of a 300,000-request run draws its intervals 4x quicker).
  /** Per statistic, the two ranks type 7 interpolates between (the last rank twice at the top). */
  const rankPairs = statistics.map((statistic) => {
    if (statistic.kind !== 'quantile') return [];
    const rank = Math.floor((m - 1) * statistic.p);
    return [rank, Math.min(rank + 1, m - 1)];
  });
  const wanted = Int32Array.from(new Set(rankPairs.flat())).sort();
  const slotOf = new Map<number, number>(Array.from(wanted, (rank, k) => [rank, k]));
  /** Per statistic, where its two ranks' positions land in `found` (0 for a mean, which has none). */
  const lowSlot = Int32Array.from(rankPairs, ([low]) => (low === undefined ? 0 : (slotOf.get(low) as number)));
  const highSlot = Int32Array.from(rankPairs, ([, high]) => (high === undefined ? 0 : (slotOf.get(high) as number)));
  const found = new Int32Array(wanted.length);
  const counts = new Int32Array(needCounts ? n : 0);
  const blockCounts = new Int32Array(needCounts ? Math.ceil(n / COUNT_BLOCK) : 0);
  const walkRanks = (): void => {
    let below = 0;
    let i = 0;
    for (let k = 0; k < wanted.length; k++) {
      const rank = wanted[k] as number;
      for (;;) {
        if ((i & (COUNT_BLOCK - 1)) === 0) {
          const inBlock = blockCounts[i >> COUNT_BLOCK_BITS] as number;
          if (below + inBlock <= rank) {
            below += inBlock;
            i += COUNT_BLOCK;
            continue;
          }
        }
        const here = counts[i] as number;
        if (below + here > rank) break;
        below += here;
        i++;
      }
      found[k] = i;
    }
  };
  // A replicate's m draws at once: the same numbers as m calls of next(), about twice as quick.
  const draws = new Float64Array(m);
  const picks = new Int32Array(m);
  for (let b = 0; b < resamples; b++) {
    rng.fill(draws);
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const at = Math.floor((draws[j] as number) * n);
      sum += sorted[at] as number;
      if (needCounts) {
        picks[j] = at;
        counts[at] = (counts[at] as number) + 1;
        blockCounts[at >> COUNT_BLOCK_BITS] = (blockCounts[at >> COUNT_BLOCK_BITS] as number) + 1;
      }
    }
    if (needCounts) {
      walkRanks();
      for (let j = 0; j < m; j++) {
        const at = picks[j] as number;
        counts[at] = 0;
        blockCounts[at >> COUNT_BLOCK_BITS] = 0;
      }
    }
    for (let s = 0; s < statistics.length; s++) {
      const statistic = statistics[s] as Statistic;
      const out = outs[s] as Float64Array;
      const centre = centres[s] as number;
      if (statistic.kind === 'mean') {
        out[b] = (sum / m - centre) * shrink;
        continue;
      }
      const h = (m - 1) * statistic.p;
      const rank = Math.floor(h);
      const low = sorted[found[lowSlot[s] as number] as number] as number;
      // The next rank holds the same value while draws of it remain, else the next value drawn.
      const high = rank + 1 < m ? (sorted[found[highSlot[s] as number] as number] as number) : low;
      out[b] = (low + (h - rank) * (high - low) - centre) * shrink;
    }
  }
  return outs;
}

/** A closed loop of `concurrency` users taking requests in order, each from the user free first: when the last ends. */
function closedLoopWindow(slotMs: Float64Array, order: ArrayLike<number>, concurrency: number): number {
  const users = Math.max(1, Math.min(concurrency, order.length));
  // A binary min-heap of the users' free times.
  const heap = new Float64Array(users);
  let end = 0;
  for (let i = 0; i < order.length; i++) {
    const done = (heap[0] as number) + (slotMs[order[i] as number] as number);
    if (done > end) end = done;
    heap[0] = done;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < users && (heap[left] as number) < (heap[least] as number)) least = left;
      if (right < users && (heap[right] as number) < (heap[least] as number)) least = right;
      if (least === at) break;
      const swap = heap[at] as number;
      heap[at] = heap[least] as number;
      heap[least] = swap;
      at = least;
    }
  }
  return end;
}

/** An open loop keeps its schedule: request i still arrives at scheduledMs[i], taking the slot of the request drawn for it. */
function openLoopWindow(scheduledMs: Float64Array, slotMs: Float64Array, order: ArrayLike<number>): number {
  let end = 0;
  for (let i = 0; i < order.length; i++) {
    const done = (scheduledMs[i] as number) + (slotMs[order[i] as number] as number);
    if (done > end) end = done;
  }
  return end;
}

function windowOf(sample: ThroughputSample, order: ArrayLike<number>): number {
  return sample.load.model === 'closed'
    ? closedLoopWindow(sample.slotMs, order, sample.load.concurrency)
    : openLoopWindow(sample.scheduledMs, sample.slotMs, order);
}

/** The run's throughput (per second) as its table gives it: units over the measured window. */
export function tableThroughput(sample: ThroughputSample): number | undefined {
  let window = 0;
  let units = 0;
  for (let i = 0; i < sample.units.length; i++) {
    window = Math.max(window, (sample.scheduledMs[i] as number) + (sample.slotMs[i] as number));
    units += sample.units[i] as number;
  }
  return window > 0 ? (units * 1000) / window : undefined;
}

/**
 * Deviations of several throughputs of one table, from the same B resamples: they share the
 * table's rows (slots, schedule, load) and differ only in what a request counts (1, its
 * output tokens, ...), so a replicate draws its requests once and replays the run's window
 * once for all of them (the replay is most of the cost: a closed loop's heap of users). With
 * one sample it draws exactly what bootstrapDeviations draws for it.
 */
export function throughputDeviationsOf(
  samples: readonly ThroughputSample[],
  values: readonly number[],
  rng: Rng,
  resamples = BOOTSTRAP_RESAMPLES,
): Float64Array[] {
  const first = samples[0];
  if (first === undefined) return [];
  const n = first.units.length;
  const m = Math.min(n, MAX_RESAMPLE_SIZE);
  const shrink = Math.sqrt(m / Math.max(n, first.total));
  // The replay of the run as it happened (its first m requests, in order) is what replicates are held against.
  const identity = Int32Array.from({ length: m }, (_, i) => i);
  const windowOriginal = windowOf(first, identity);
  const ratesOriginal = samples.map((sample) => {
    let units = 0;
    for (let j = 0; j < m; j++) units += sample.units[j] as number;
    return units / windowOriginal;
  });
  const outs = samples.map(() => new Float64Array(resamples));
  const units = new Float64Array(samples.length);
  const order = new Int32Array(m);
  for (let b = 0; b < resamples; b++) {
    for (let j = 0; j < m; j++) order[j] = Math.floor(rng.next() * n);
    for (let s = 0; s < samples.length; s++) {
      const of = (samples[s] as ThroughputSample).units;
      let sum = 0;
      for (let j = 0; j < m; j++) sum += of[order[j] as number] as number;
      units[s] = sum;
    }
    const window = windowOf(first, order);
    for (let s = 0; s < samples.length; s++) {
      const rateOriginal = ratesOriginal[s] as number;
      const ratio = window > 0 && rateOriginal > 0 ? (units[s] as number) / window / rateOriginal : 1;
      (outs[s] as Float64Array)[b] = (values[s] as number) * (ratio - 1) * shrink;
    }
  }
  return outs;
}

/**
 * B deviations of the run's statistic from its value, as the run's own noise draws them
 * (replicate − value, scaled to the run's size). Throughput deviations are relative to
 * `value` (the run's throughput), so they come out in requests or tokens per second.
 */
export function bootstrapDeviations(sample: ValuesSample | ThroughputSample, value: number, rng: Rng): Float64Array {
  if (sample.kind === 'values')
    return valueDeviationsOf(sample.values, sample.total, [sample.statistic], rng)[0] as Float64Array;
  return throughputDeviationsOf([sample], [value], rng)[0] as Float64Array;
}

/** Sample variance of the deviations: the run's sampling variance of the statistic. */
export function varianceOf(deviations: Float64Array): number {
  let mean = 0;
  for (const d of deviations) mean += d;
  mean /= deviations.length;
  let sum = 0;
  for (const d of deviations) sum += (d - mean) ** 2;
  return sum / (deviations.length - 1);
}
