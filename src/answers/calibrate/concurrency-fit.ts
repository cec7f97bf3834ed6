// Jobs one worker runs at once (worker-vllm MAX_CONCURRENCY) and the platform's dispatch
// delay. A job that waited in the queue while warm workers were up waited for a free slot:
// when it got one, its worker held the limit less the job that had just ended. The limit is
// the most common count of jobs in flight at such pickups (plus the newcomer); a job a worker
// with room took at once waited only for the dispatch. Counting at a pickup ignores jobs that
// began or ended within a tolerance of it, so that clock noise between client and server
// (the pickup is placed at sentMs + delayTime) does not add or drop a job. Pure.
import { bootstrapIntervals } from './bootstrap.js';
import { median } from './least-squares.js';
import type { JobObs } from './observations.js';
import type { WorkerHistory } from './worker-history.js';

export interface ConcurrencyFit {
  /** The limit (when reached) or the most jobs seen in flight (a lower bound). */
  maxInFlight: number;
  /** Jobs that waited for a slot: the evidence for the limit. */
  queued: number;
  reached: boolean;
  dispatchMs: number | null;
  dispatchInterval: [number, number] | undefined;
  dispatchBasis: number;
}

/** Clock noise tolerated between client and server at least, in model ms per unit of time scale. */
const TOLERANCE_MS = 5;
/** Queued jobs needed before their count names the limit. */
const MIN_QUEUED = 5;

function inFlightAt(list: readonly JobObs[], self: JobObs, t: number, tol: number): number {
  let n = 0;
  for (const j of list) if (j !== self && j.pickupMs < t - tol && j.endMs > t + tol) n++;
  return n;
}

/**
 * How far apart two jobs' pickups (sentMs + delayTime) can be placed by the network alone:
 * delayTime counts from when the job reached the server, so each pickup sits early by its
 * request's uplink time, which varies from request to request (the emulator's round trip is
 * drawn per answer; a real network jitters). A job's client-side overhead (its end to end
 * less delayTime and executionTime) holds that uplink time, and its spread below the median
 * (p50 - p10) bounds the variation; at least TOLERANCE_MS, at most a quarter of the median
 * execution (a poll interval would otherwise widen it past the jobs themselves). Before, a
 * fixed 5 ms let the job a newcomer replaced look still in flight: capacity.yaml's worker,
 * which holds 4, read as "at least 5".
 */
export function clockNoiseMs(jobs: readonly JobObs[], timeScale = 1): number {
  const floor = TOLERANCE_MS * timeScale;
  const ok = jobs.filter((j) => j.ok);
  if (ok.length < 10) return floor;
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const overhead = sorted(ok.map((j) => j.e2eMs - j.delayMs - j.executionMs));
  const at = (values: number[], p: number) => values[Math.floor(p * (values.length - 1))] as number;
  const spread = at(overhead, 0.5) - at(overhead, 0.1);
  const ceiling = at(sorted(ok.map((j) => j.executionMs)), 0.5) / 4;
  return Math.max(floor, Math.min(spread, ceiling));
}

export function fitConcurrency(
  history: WorkerHistory,
  seed: number,
  timeScale = 1,
  toleranceMs?: number,
): ConcurrencyFit {
  const tol =
    toleranceMs ??
    clockNoiseMs(
      [...history.workers.values()].flatMap((pickups) => pickups.map((p) => p.job)),
      timeScale,
    );
  const boots = new Set(history.boots.flatMap((b) => [b.trigger]));
  const bootEnds = new Set(history.boots.map((b) => `${b.worker}\u0000${b.endMs}`));
  // Dispatch: jobs picked up by a worker that had been busy without a boot, with none ending at that moment.
  const dispatch: number[] = [];
  let most = 0;
  const counts: Array<{ job: JobObs; count: number; afterBoot: boolean }> = [];
  const bootEndsOf = new Map<string, number[]>();
  for (const b of history.boots) bootEndsOf.set(b.worker, [...(bootEndsOf.get(b.worker) ?? []), b.endMs]);
  for (const [worker, pickups] of history.workers) {
    const list = pickups.map((p) => p.job);
    // A job picked up after its worker's boot ended, before any job on it ended since, waited
    // for the boot, not for a slot (no slot had been freed): the booted worker takes the
    // waiting jobs one dispatch after another, each seeing only the few taken before it
    // (quick.yaml's run once voted a limit of 1 on a worker holding 30).
    const afterBoot = (job: JobObs) =>
      (bootEndsOf.get(worker) ?? []).some(
        (boot) => job.pickupMs >= boot && !list.some((j) => j.endMs > boot && j.endMs < job.pickupMs - tol),
      );
    for (const p of pickups) {
      const count = inFlightAt(list, p.job, p.job.pickupMs, tol);
      most = Math.max(most, count + 1);
      if (boots.has(p.job) || bootEnds.has(`${worker}\u0000${p.job.pickupMs}`)) continue;
      counts.push({ job: p.job, count, afterBoot: afterBoot(p.job) });
      if (!p.handover) dispatch.push(p.job.delayMs);
    }
  }
  const dispatchMs = dispatch.length > 0 ? median(dispatch) : null;
  // Queued: waited far longer than a dispatch, on a warm worker.
  const waited = Math.max(8 * timeScale, 4 * (dispatchMs ?? 0));
  const queued = counts.filter((c) => c.job.delayMs > waited && !c.afterBoot);
  const tally = new Map<number, number>();
  for (const c of queued) tally.set(c.count + 1, (tally.get(c.count + 1) ?? 0) + 1);
  let limit = 0;
  let votes = 0;
  for (const [value, n] of tally) if (n > votes || (n === votes && value > limit)) [limit, votes] = [value, n];
  const reached = queued.length >= MIN_QUEUED && votes * 2 >= queued.length;
  const interval = bootstrapIntervals(
    dispatch.length,
    (idx) => [median(Array.from(idx, (i) => dispatch[i] as number))],
    seed,
  );
  return {
    maxInFlight: reached ? limit : most,
    queued: queued.length,
    reached,
    dispatchMs,
    dispatchInterval: interval?.[0],
    dispatchBasis: dispatch.length,
  };
}
