// podbench's own event-loop delay while a variant runs (on the runner's thread, and on each
// native client thread). Every time podbench takes (a first token, an end) is read when its
// callback runs; when hundreds of answers arrive at once
// (a decode step that feeds every stream), the event loop handles them one after another
// and the last is time-stamped late by the whole burst. A periodic timer sees the same
// stall: how late it fires bounds how late any answer during the stall was noticed. So the
// run keeps it per variant, and says when it is too large for the precision podbench aims at.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoopDelay } from '../core/summary.js';

/** A timer every 5 ms: often enough to catch a 10 ms burst, cheap enough to leave on. */
const RESOLUTION_MS = 5;

export interface LoopDelayMonitor {
  /** Stops sampling; the delays beyond the timer's own period, in ms. */
  stop(): LoopDelay;
}

export function startLoopDelay(): LoopDelayMonitor {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      // The histogram holds whole intervals (ns), period included; no sample at all: no delay seen.
      const late = (ns: number) =>
        histogram.count === 0 ? 0 : Math.round(Math.max(0, ns / 1e6 - RESOLUTION_MS) * 1000) / 1000;
      return {
        p50: late(histogram.percentile(50)),
        p99: late(histogram.percentile(99)),
        max: late(histogram.max),
        samples: histogram.count,
      };
    },
  };
}
