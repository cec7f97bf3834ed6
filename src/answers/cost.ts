// What a workload costs on Runpod Serverless, where a worker is billed per second from its
// start until it stops: model load (cold start), execution, and the idle timeout it waits
// after its last job before scaling down (pricing.mdx). Pure.
import type { PickupFacts } from '../metrics/cold-start.js';

export interface BilledSeconds {
  /** Worker-seconds executing jobs (overlapping jobs on one worker counted once). */
  busy: number;
  /** Worker-seconds waiting out the idle timeout after busy periods. */
  idle: number;
  /** Worker-seconds booting (cold starts), estimated from the delayTime of cold jobs. */
  coldStart: number;
  total: number;
}

/**
 * Billed worker-seconds a run caused, rebuilt from the jobs' pickups and execution times:
 * per worker, busy intervals are merged, each followed by min(idle timeout, gap to the next
 * busy interval), and each boot adds the delayTime of the first job that waited for it.
 * An estimate: the platform's own meter may differ by the container start the client cannot see.
 */
export function billedSeconds(
  jobs: readonly PickupFacts[],
  coldSeqs: ReadonlySet<number>,
  idleTimeoutMs: number,
  workersPerVariant = false,
): BilledSeconds {
  // On the embedded emulator each variant has a fresh endpoint whose (seeded) worker ids repeat:
  // a worker of one variant is not the same worker in the next.
  const byWorker = new Map<string, PickupFacts[]>();
  for (const job of jobs) {
    const key = workersPerVariant ? `${job.variant ?? ''}\u0000${job.workerId}` : job.workerId;
    const list = byWorker.get(key) ?? [];
    list.push(job);
    byWorker.set(key, list);
  }
  let busyMs = 0;
  let idleMs = 0;
  let bootMs = 0;
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.pickupMs - b.pickupMs);
    let start: number | undefined;
    let end = Number.NEGATIVE_INFINITY;
    const intervals: Array<[number, number]> = [];
    for (const job of list) {
      // Jobs queued through one boot share it: a boot is counted for a cold job the worker
      // picked up with nothing running (its first, or its first after an idle spell), not
      // for the others it took as the boot ended. Their pickups (sentMs + delayTime) differ
      // by each request's network time, tens of ms apart: matching them to within 1 ms
      // counted quick.yaml's one boot of 2.8 s five times over.
      if (coldSeqs.has(job.seq) && (start === undefined || job.pickupMs > end)) bootMs += job.delayMs;
      const jobEnd = job.pickupMs + job.executionMs;
      if (start === undefined || job.pickupMs > end) {
        if (start !== undefined) intervals.push([start, end]);
        start = job.pickupMs;
        end = jobEnd;
      } else {
        end = Math.max(end, jobEnd);
      }
    }
    if (start !== undefined) intervals.push([start, end]);
    for (let i = 0; i < intervals.length; i++) {
      const [a, b] = intervals[i] as [number, number];
      busyMs += b - a;
      const next = intervals[i + 1];
      idleMs += next ? Math.min(idleTimeoutMs, next[0] - b) : idleTimeoutMs;
    }
  }
  const seconds = (ms: number) => ms / 1000;
  return {
    busy: seconds(busyMs),
    idle: seconds(idleMs),
    coldStart: seconds(bootMs),
    total: seconds(busyMs + idleMs + bootMs),
  };
}

export interface CapacityPlanInput {
  targetRps: number;
  /** Sustainable successful requests per second of one worker within the SLOs. */
  perWorkerRps: number;
  /** Mean output tokens of a successful request. */
  outputTokensPerRequest: number;
  /** Extra flex workers for bursts, as a share of the base (0.25 = 25%). */
  headroom: number;
  /** GPU price per worker-second, when the user gave one. */
  pricePerSecond?: number;
}

export interface CapacityPlan {
  /** Workers that carry the target within the SLOs. */
  workersNeeded: number;
  /** Keep these active (workers.min): the base load then never waits for a cold start. */
  activeWorkers: number;
  /** workers.max: base plus headroom for bursts, which wait for a cold start to be served. */
  maxWorkers: number;
  costPerHour?: number;
  costPerMillionOutputTokens?: number;
}

export function planCapacity(input: CapacityPlanInput): CapacityPlan {
  const workersNeeded = Math.max(1, Math.ceil(input.targetRps / input.perWorkerRps - 1e-9));
  const maxWorkers = workersNeeded + Math.ceil(workersNeeded * input.headroom);
  const plan: CapacityPlan = { workersNeeded, activeWorkers: workersNeeded, maxWorkers };
  if (input.pricePerSecond !== undefined) {
    // Active workers are billed every second; tokens per hour at the target traffic.
    plan.costPerHour = workersNeeded * 3600 * input.pricePerSecond;
    const tokensPerHour = input.targetRps * input.outputTokensPerRequest * 3600;
    if (tokensPerHour > 0) plan.costPerMillionOutputTokens = (plan.costPerHour / tokensPerHour) * 1e6;
  }
  return plan;
}
