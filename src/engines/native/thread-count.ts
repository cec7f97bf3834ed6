// How many client threads the native engine runs when the user did not say (--workers).
// One event loop time-stamps every answer of a burst in turn, about 20 µs each: at a few
// dozen streams that is well under a millisecond and one thread is both the cheapest and as
// precise as k6; at many hundreds of streams a decode step's burst takes milliseconds and
// the last answers are read late. So: one thread per STREAMS_PER_THREAD requests in flight,
// at most one per core, and one thread whenever the load cannot be that large.
import { availableParallelism } from 'node:os';
import type { LoadPlan } from '../../schedule/load-plan.js';
import type { Variant } from '../../scenario/load.js';

/**
 * Requests in flight one event loop time-stamps well. bench/precision.ts at 256 OpenAI
 * streams on this project's 2-core machine (the target on the same cores): on an idle
 * machine one thread was as close to k6 as two or closer (TTFT error p50 1.2 vs 1.5-1.7 ms);
 * with other work on the cores two threads did better (p50 3-6 vs 7.5-9 ms).
 */
export const STREAMS_PER_THREAD = 256;

/** The most requests the plan can have in flight at once (undefined: not bounded by the plan, e.g. an open loop without a cap). */
export function peakInFlight(plan: LoadPlan): number | undefined {
  if (plan.model === 'probe') return 1;
  if (plan.model === 'closed') return Math.max(0, ...plan.profile.map((p) => p.level));
  return plan.maxInFlight;
}

/**
 * The thread count: `requested` when given; else from the load's peak in flight (an open
 * loop without a cap: its peak rate, a request a second taken as one in flight) and the cores.
 */
export function clientThreadsFor(
  variant: Variant,
  requested: number | undefined,
  cores = availableParallelism(),
): number {
  const { plan } = variant;
  // Probes send one request at a time: a second thread has nothing to do.
  if (plan.model === 'probe') return 1;
  if (requested !== undefined) return requested;
  const peak = peakInFlight(plan) ?? Math.max(0, ...plan.profile.map((p) => p.level));
  return Math.max(1, Math.min(cores, Math.floor(peak / STREAMS_PER_THREAD)));
}
