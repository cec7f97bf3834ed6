// Which decode steps a job shared, read from the run itself: on one worker, the sequences in
// flight at any moment are the jobs whose [pickup, pickup + executionTime] covers it. The
// emulator's step (src/emulator/worker/engine.ts) lasts
//
//   stepMs + stepMsPerSequence × (sequences − 1) + prefillMsPerToken × (prompt tokens admitted in it)
//
// and a job takes one step per output token, so its execution time is linear in the three:
//
//   execution = stepMs × A + stepMsPerSequence × B + prefillMsPerToken × C
//
//   A  its steps (output tokens), plus half a step when it was picked up while a step ran
//      (it waits for that step's end; a job handed over as another ended waits for none)
//   B  the other sequences beside it, summed over its steps: its steps times the mean of
//      (sequences − 1) over its life, each moment weighed by the steps it holds (1 / step length)
//   C  prompt tokens prefilled during its life: its own and those of jobs picked up meanwhile
//
// The weights of B depend on the parameters, smoothly, so the fit alternates a few times.
// Reading sequences from the measured intervals, not from a replay of step boundaries,
// keeps the fit smooth: a replay's boundaries drift with every jittered step. Pure.
import type { JobObs } from './observations.js';

export interface DecodeParams {
  stepMs: number;
  stepMsPerSequence: number;
  prefillMsPerToken: number;
}

export interface OccupancyTerms {
  seq: number;
  a: number;
  b: number;
  c: number;
  /** The same for pickup → first token: the wait, then its first step. */
  firstA: number;
  firstB: number;
  firstC: number;
  /** Mean sequences in its steps, itself included. */
  meanSequences: number;
}

/** A pickup this close to another job's end on the same worker was handed over at that end. */
const HANDOVER_MS = 2;

/**
 * `jobs`: one worker's jobs, every one with outputTokens and promptTokens. `endLagMs`: the
 * fixed part of executionTime after a job's last step (the fitted per-job cost: a handler's
 * reporting, or a late timer on a busy machine): a job's sequence stops counting that much
 * before its reported end.
 */
export function occupancyTerms(
  jobs: readonly JobObs[],
  p: DecodeParams,
  timeScale = 1,
  endLagMs = 0,
): OccupancyTerms[] {
  const lag = Math.max(0, endLagMs);
  const endOf = (j: JobObs): number => Math.max(j.pickupMs, j.endMs - lag);
  // The sequence count changes only at pickups and ends.
  const edges: Array<[number, number]> = [];
  for (const j of jobs) edges.push([j.pickupMs, 1], [endOf(j), -1]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const times: number[] = [];
  const counts: number[] = [];
  let n = 0;
  for (const [t, d] of edges) {
    n += d;
    if (times.length > 0 && times[times.length - 1] === t) counts[counts.length - 1] = n;
    else {
      times.push(t);
      counts.push(n);
    }
  }
  /** Index of the last edge at or before t. */
  const at = (t: number): number => {
    let lo = 0;
    let hi = times.length - 1;
    if (hi < 0 || t < (times[0] as number)) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((times[mid] as number) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const stepOf = (sequences: number): number =>
    Math.max(1e-9, p.stepMs + p.stepMsPerSequence * Math.max(0, sequences - 1));
  const handover = HANDOVER_MS * timeScale;
  const ends = jobs.map(endOf).sort((x, y) => x - y);
  const endedNear = (t: number): boolean => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ends[mid] as number) < t - handover) lo = mid + 1;
      else hi = mid;
    }
    return lo < ends.length && (ends[lo] as number) <= t + handover;
  };
  const byPickup = [...jobs].sort((x, y) => x.pickupMs - y.pickupMs);
  const pickups = byPickup.map((j) => j.pickupMs);
  // promptSum[k]: prompt tokens of the first k jobs in pickup order.
  const promptSum = [0];
  for (const j of byPickup) promptSum.push((promptSum[promptSum.length - 1] as number) + (j.promptTokens as number));

  return jobs.map((job) => {
    const tokens = Math.max(1, job.outputTokens as number);
    // Mean (sequences − 1) over its life, weighed by steps per ms.
    let num = 0;
    let den = 0;
    const end = endOf(job);
    let i = Math.max(0, at(job.pickupMs));
    let from = job.pickupMs;
    while (from < end) {
      const to = Math.min(end, i + 1 < times.length ? (times[i + 1] as number) : end);
      const sequences = Math.max(1, counts[i] as number);
      const weight = (to - from) / stepOf(sequences);
      num += (sequences - 1) * weight;
      den += weight;
      from = to;
      i++;
      if (i >= times.length) break;
    }
    const meanOthers = den > 0 ? num / den : 0;
    // Busy at pickup: others in flight just before it, and not a handover at another's end.
    const before = at(job.pickupMs - 1e-9);
    const othersBefore = before === -1 ? 0 : Math.max(0, counts[before] as number);
    const wait = othersBefore > 0 && !endedNear(job.pickupMs) ? 0.5 : 0;
    // Prompts prefilled during its life: its own, and those of jobs picked up meanwhile, but
    // not during its last step (those join the step after it).
    const lastStart = Math.max(job.pickupMs, end - stepOf(meanOthers + 1));
    const during =
      (promptSum[lowerBound(pickups, lastStart)] as number) - (promptSum[lowerBound(pickups, job.pickupMs)] as number);
    const prefill = Math.max(job.promptTokens as number, during);
    return {
      seq: job.seq,
      a: tokens + wait,
      b: tokens * meanOthers + wait * othersBefore,
      c: prefill,
      firstA: wait + 1,
      firstB: wait * othersBefore + othersBefore,
      firstC: job.promptTokens as number,
      meanSequences: meanOthers + 1,
    };
  });
}

function lowerBound(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
