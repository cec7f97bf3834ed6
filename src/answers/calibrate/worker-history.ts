// Each worker's history as the records show it: its jobs in pickup order, how many were in
// flight when each was picked up, whether it came at another's end (a queued job handed the
// freed slot), and the boots: a job whose worker was new or had no job in flight, and that
// waited long, waited for that worker to start. Pure.
import { sortedSamples } from '../../metrics/percentiles.js';
import { byWorker, type JobObs } from './observations.js';

export interface Pickup {
  job: JobObs;
  /** Jobs of this worker still in flight just before this pickup. */
  inFlightBefore: number;
  /** Picked up at another job's end on this worker (the slot it freed). */
  handover: boolean;
  /** The worker's first job in the run (its variant), or its first after a time with none in flight. */
  fresh: 'first' | 'after-gap' | 'no';
  /** When the worker's previous job ended (after-gap only). */
  previousEndMs?: number;
}

export interface Boot {
  worker: string;
  /** The waiting job submitted first: the boot started at or after its submission. */
  trigger: JobObs;
  /** The worker had run jobs before in the run: a revival (FlashBoot or a fresh boot). */
  revival: boolean;
  /** When the boot ended: the first pickup. */
  endMs: number;
  /** Revival: when the worker's previous job ended. */
  previousEndMs?: number;
}

export interface WorkerHistory {
  workers: Map<string, Pickup[]>;
  boots: Boot[];
  /** delayTime above which a fresh worker's first job counts as having waited for a boot. */
  bootThresholdMs: number;
  /** Most jobs one worker held at once. */
  maxInFlight: number;
}

/** A pickup this close (model ms per unit of time scale) to an end counts as the same instant. */
const SAME_INSTANT_MS = 2;
/** Below this (model ms) a wait is never a boot: no container starts that fast. */
const MIN_BOOT_MS = 300;

export function workerHistory(jobs: readonly JobObs[], timeScale = 1): WorkerHistory {
  const instant = SAME_INSTANT_MS * timeScale;
  const workers = new Map<string, Pickup[]>();
  let maxInFlight = 0;
  for (const [worker, list] of byWorker(jobs)) {
    const pickups: Pickup[] = [];
    const inFlight: number[] = []; // end times of jobs in flight
    let lastEnd: number | undefined;
    for (const job of list) {
      const stillRunning = inFlight.filter((end) => end > job.pickupMs + instant);
      const endedNow = inFlight.some((end) => Math.abs(end - job.pickupMs) <= instant);
      const before = stillRunning.length + (endedNow ? 1 : 0);
      const fresh: Pickup['fresh'] = lastEnd === undefined ? 'first' : before === 0 ? 'after-gap' : 'no';
      const pickup: Pickup = { job, inFlightBefore: stillRunning.length, handover: endedNow, fresh };
      if (fresh === 'after-gap' && lastEnd !== undefined) pickup.previousEndMs = lastEnd;
      pickups.push(pickup);
      inFlight.length = 0;
      inFlight.push(...stillRunning, job.endMs);
      maxInFlight = Math.max(maxInFlight, inFlight.length);
      lastEnd = Math.max(lastEnd ?? Number.NEGATIVE_INFINITY, job.endMs);
    }
    workers.set(worker, pickups);
  }
  const bootThresholdMs = bootThreshold(workers, timeScale);
  const boots: Boot[] = [];
  for (const [worker, pickups] of workers) {
    let seenBefore = false;
    for (let i = 0; i < pickups.length; i++) {
      const p = pickups[i] as Pickup;
      if (p.fresh !== 'no' && p.job.delayMs >= bootThresholdMs) {
        // Every job picked up at this boot's end waited for it; the earliest submitted one
        // waited longest, from the moment the boot could have started.
        let trigger = p.job;
        for (let k = i + 1; k < pickups.length; k++) {
          const q = pickups[k] as Pickup;
          if (q.job.pickupMs - p.job.pickupMs > SAME_INSTANT_MS * timeScale) break;
          if (q.job.sentMs < trigger.sentMs) trigger = q.job;
        }
        const boot: Boot = { worker, trigger, revival: seenBefore, endMs: p.job.pickupMs };
        if (p.previousEndMs !== undefined) boot.previousEndMs = p.previousEndMs;
        boots.push(boot);
      }
      seenBefore = true;
    }
  }
  return { workers, boots, bootThresholdMs, maxInFlight };
}

/**
 * Fresh pickups (a worker with no job in flight, not handed a slot at another's end) split by
 * their delayTime: warm ones wait for the dispatch only, booted ones for a container start or
 * a FlashBoot revival. The threshold is the first clear jump (a factor of 4) from the bottom
 * that lands above MIN_BOOT_MS: above it, boots of both kinds; below, warm pickups. When not
 * one was fast, all were boots; with no clear jump, those of a second or more were.
 */
function bootThreshold(workers: Map<string, Pickup[]>, timeScale: number): number {
  const floor = Math.max(MIN_BOOT_MS, 2 * SAME_INSTANT_MS * timeScale);
  const delays: number[] = [];
  for (const pickups of workers.values())
    for (const p of pickups) if (p.fresh !== 'no' && !p.handover) delays.push(Math.max(1, p.job.delayMs));
  const sorted = Array.from(sortedSamples(delays));
  // Not one fresh pickup was fast: all waited for a boot (probes from zero workers).
  if ((sorted[0] ?? 0) >= floor) return floor;
  for (let i = 1; i < sorted.length; i++) {
    const hi = sorted[i] as number;
    const lo = sorted[i - 1] as number;
    if (hi >= floor && hi >= 4 * lo) return Math.max(floor, Math.sqrt(hi * lo));
  }
  return Math.max(floor, 1000);
}
