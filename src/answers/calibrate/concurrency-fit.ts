// Jobs one worker runs at once (worker-vllm MAX_CONCURRENCY) and the platform's dispatch
// delay. The most jobs a worker held is a lower bound; it is the limit when jobs that had
// waited in the queue were handed a worker's freed slot while it was full. A job a worker
// with room took at once waited only for the dispatch. Pure.
import { bootstrapIntervals } from './bootstrap.js';
import { median } from './least-squares.js';
import type { WorkerHistory } from './worker-history.js';

export interface ConcurrencyFit {
  maxInFlight: number;
  /** Queued jobs handed a full worker's freed slot: evidence that maxInFlight is the limit. */
  queuedHandovers: number;
  reached: boolean;
  dispatchMs: number | null;
  dispatchInterval: [number, number] | undefined;
  dispatchBasis: number;
}

export function fitConcurrency(history: WorkerHistory, seed: number, timeScale = 1): ConcurrencyFit {
  const limit = history.maxInFlight;
  const boots = new Set(history.boots.map((b) => `${b.worker}\u0000${b.endMs}`));
  const dispatch: number[] = [];
  for (const [worker, pickups] of history.workers) {
    for (const p of pickups) {
      if (boots.has(`${worker}\u0000${p.job.pickupMs}`) || p.handover) continue;
      if (p.inFlightBefore + 1 < limit || limit === 1) dispatch.push(p.job.delayMs);
    }
  }
  const dispatchMs = dispatch.length > 0 ? median(dispatch) : null;
  const waited = Math.max(8 * timeScale, 2 * (dispatchMs ?? 0));
  let queuedHandovers = 0;
  for (const [worker, pickups] of history.workers)
    for (const p of pickups)
      if (
        p.handover &&
        p.inFlightBefore + 1 === limit &&
        p.job.delayMs > waited &&
        !boots.has(`${worker}\u0000${p.job.pickupMs}`)
      )
        queuedHandovers++;
  const interval = bootstrapIntervals(
    dispatch.length,
    (idx) => [median(Array.from(idx, (i) => dispatch[i] as number))],
    seed,
  );
  return {
    maxInFlight: limit,
    queuedHandovers,
    reached: queuedHandovers >= 2,
    dispatchMs,
    dispatchInterval: interval?.[0],
    dispatchBasis: dispatch.length,
  };
}
