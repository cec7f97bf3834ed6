// The numbers of the rule that tells cold requests from warm ones (src/metrics/cold-start.ts
// applies it); run.json keeps each variant's, so `podbench report` classifies the same way.
export interface ColdStartRule {
  /** A request counts as cold only if its delayTime is at least this (ms). */
  thresholdMs: number;
  /** A worker without a job for this long is assumed scaled down (ms). */
  idleGapMs: number;
}

/** Runpod-like defaults, for targets whose settings podbench does not know. */
export const DEFAULT_COLD_START_RULE: ColdStartRule = { thresholdMs: 1000, idleGapMs: 5000 };
