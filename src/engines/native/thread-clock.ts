// One clock across threads. Every thread's performance.now() counts from its own
// timeOrigin, and aligning threads by performance.timeOrigin is not exact: Node takes a
// thread's timeOrigin from the wall clock, and measured here a worker's came out 0.7-1.7 ms
// off the main thread's (consistent between workers, different per process). What all
// threads of a process share exactly is the monotonic clock behind both performance.now()
// and process.hrtime (uv_hrtime, CLOCK_MONOTONIC). So each thread measures how far its
// performance.now() is from that shared clock, and a worker shifts its readings by the
// difference from the main thread's: then a time taken on any thread is on the run's clock.

/** How many back-to-back readings to take; the tightest pair is kept. */
const SAMPLES = 25;

/**
 * performance.now() minus the monotonic clock (in ms) on the calling thread. Both read the
 * same source, so the difference is a constant; the reading pair closest in time gives it
 * to well under a microsecond.
 */
export function perfMinusMonotonicMs(): number {
  let best = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const before = process.hrtime.bigint();
    const perf = performance.now();
    const after = process.hrtime.bigint();
    const gap = Number(after - before);
    if (gap < best) {
      best = gap;
      // The midpoint of the two monotonic readings is when perf was read, within gap/2.
      offset = perf - Number((before + after) / 2n) / 1e6;
    }
  }
  return offset;
}

/** Where the run's clock stands, as the main thread sees it: enough for another thread to read the same clock. */
export interface ClockBase {
  /** performance.now() on the main thread when the run's clock read 0. */
  runStartPerfMs: number;
  /** perfMinusMonotonicMs() on the main thread. */
  mainPerfMinusMonotonicMs: number;
}

/**
 * The run's clock on this thread: milliseconds since the run started (to the µs, as the
 * runner's own clock), from this thread's performance.now() shifted onto the main thread's.
 */
export function threadClock(base: ClockBase): () => number {
  const shiftMs = base.mainPerfMinusMonotonicMs - perfMinusMonotonicMs() - base.runStartPerfMs;
  return () => Math.round((performance.now() + shiftMs) * 1000) / 1000;
}
