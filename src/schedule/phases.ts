// Which phase the next request belongs to, by the LoadPlan's rules: warmup until both its
// count and its duration are met, then measured requests until load.requests have been
// handed out or load.duration has passed since measuring began. Pure; every engine that
// schedules its own requests (native, autocannon) asks it, so both split a run the same way.
import type { Phase } from '../core/record.js';

export interface PhaseRules {
  warmup: { requests: number; durationMs: number };
  /** Measured requests to hand out (warmup excluded). */
  requests?: number;
  /**
   * How long measured requests are handed out. Leave it out when the engine stops on time by
   * itself (autocannon cannot take back a request once its connection is sending, so it
   * stops its connections with a timer instead).
   */
  durationMs?: number;
}

export interface Phases {
  /** The phase of a request scheduled at `atMs`, or undefined when the run is over. */
  next(atMs: number): Phase | undefined;
  /** When the measured phase began (undefined during warmup). */
  measureStartMs(): number | undefined;
  /** Time into the measured phase (0 during warmup): the stage profile's clock. */
  profileMs(atMs: number): number;
  /** True once the last measured request (by count) has been handed out. */
  exhausted(): boolean;
}

export function createPhases(rules: PhaseRules, startMs: number): Phases {
  let warmupSent = 0;
  let measureStart: number | undefined =
    rules.warmup.requests === 0 && rules.warmup.durationMs === 0 ? startMs : undefined;
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
      if (rules.durationMs !== undefined && atMs - measureStart >= rules.durationMs) return undefined;
      measured += 1;
      return 'measure';
    },
    measureStartMs: () => measureStart,
    profileMs: (atMs) => (measureStart === undefined ? 0 : atMs - measureStart),
    exhausted: done,
  };
}
