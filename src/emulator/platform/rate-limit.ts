// Runpod's per-endpoint, per-route limits (reference §1.7): requests in any 10 s window and
// requests in flight at once (held long-polls count while held). Over either, the platform
// answers 429. Optional dynamic limit: max(route limit, running workers x perWorkerPer10s).
//
// The window is 10 s of *real* time, not emulated time: it limits how fast the client sends,
// and the client is not time-scaled.
import type { EmulatorSettings } from '../settings/schema.js';

export type LimitedRoute = keyof EmulatorSettings['rateLimits']['routes'];

export const RATE_WINDOW_MS = 10_000;

interface RouteState {
  per10s: number;
  concurrent: number;
  inFlight: number;
  /** Accept times (real epoch ms) of the requests in the window, as a ring. */
  times: Float64Array;
  head: number;
  size: number;
}

export type Admission = 'ok' | 'rate' | 'concurrency';

export class RateLimiter {
  private readonly routes = new Map<LimitedRoute, RouteState>();
  private readonly perWorker: number;

  constructor(settings: EmulatorSettings) {
    const limits = settings.rateLimits;
    this.perWorker = limits.perWorkerPer10s;
    for (const [route, limit] of Object.entries(limits.routes) as Array<
      [LimitedRoute, { per10s: number; concurrent?: number | undefined }]
    >) {
      const capacity = Math.max(limit.per10s, settings.workers.max * limits.perWorkerPer10s);
      this.routes.set(route, {
        per10s: limit.per10s,
        concurrent: limit.concurrent ?? Number.POSITIVE_INFINITY,
        inFlight: 0,
        times: new Float64Array(capacity),
        head: 0,
        size: 0,
      });
    }
  }

  /** Admits one request (counting it in flight until release) or says which limit it hit. */
  admit(route: LimitedRoute, nowMs: number, runningWorkers: number): Admission {
    const state = this.routes.get(route) as RouteState;
    const capacity = state.times.length;
    // Drop accepts that left the window.
    while (state.size > 0 && (state.times[state.head] as number) <= nowMs - RATE_WINDOW_MS) {
      state.head = (state.head + 1) % capacity;
      state.size--;
    }
    const limit = Math.min(capacity, Math.max(state.per10s, runningWorkers * this.perWorker));
    if (state.size >= limit) return 'rate';
    if (state.inFlight >= state.concurrent) return 'concurrency';
    state.times[(state.head + state.size) % capacity] = nowMs;
    state.size++;
    state.inFlight++;
    return 'ok';
  }

  release(route: LimitedRoute): void {
    const state = this.routes.get(route) as RouteState;
    if (state.inFlight > 0) state.inFlight--;
  }
}
