// Which phase the next request belongs to, by the LoadPlan's rules: warmup until both its
// count and its duration are met, then measured requests up to load.requests. Pure. The
// duration stop is not decided here: autocannon cannot take back a request once its
// connection is sending, so the engine stops connections with a timer instead.
import type { Phase } from '../../core/record.js';

export interface PhaseRules {
  warmup: { requests: number; durationMs: number };
  requests?: number;
}

export interface Phases {
  /** The phase of a request sent at `atMs`, or undefined when every request has been sent. */
  next(atMs: number): Phase | undefined;
  /** When the measured phase began (undefined during warmup). */
  measureStartMs(): number | undefined;
  /** True once the last request has been handed out. */
  exhausted(): boolean;
}

export function createPhases(rules: PhaseRules, startMs: number): Phases {
  let warmupSent = 0;
  let measureStart: number | undefined = rules.warmup.requests === 0 && rules.warmup.durationMs === 0 ? startMs : undefined;
  let measured = 0;
  const done = () => rules.requests !== undefined && measured >= rules.requests;
  return {
    next(atMs) {
      if (measureStart === undefined) {
        if (warmupSent < rules.warmup.requests || atMs - startMs < rules.warmup.durationMs) {
          warmupSent += 1;
          return 'warmup';
        }
        measureStart = atMs;
      }
      if (done()) return undefined;
      measured += 1;
      return 'measure';
    },
    measureStartMs: () => measureStart,
    exhausted: done,
  };
}
