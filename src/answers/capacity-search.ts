// The capacity search: which load is the most an endpoint takes within its SLOs? Pure: it
// looks at the steps measured so far and names the next level to try, or stops.
//
//   grow    start, start·factor, start·factor², ... until a step breaks the SLO, has too
//           many errors, stops gaining throughput (saturated), or passes `max`;
//   refine  bisect between the last good level and the first bad one, `refine` times
//           (integers for concurrency: until the two are 1 apart).
//
// The answer is the highest level measured good. A level is good when every SLO holds and
// the error rate is within its limit; throttling (429) counts as an error, never as capacity.

export interface SweepConfig {
  /** What varies: closed-loop concurrency or open-loop rate. */
  field: 'load.concurrency' | 'load.rate';
  start: number;
  /** Growth factor per step (> 1). */
  factor: number;
  max: number;
  /** Bisection steps between the last good and the first bad level. */
  refine: number;
  /** A step whose error rate passes this is bad. */
  maxErrorRate: number;
  /** Growing stops when throughput rose by less than this share over the previous level. */
  minGain: number;
}

export interface StepResult {
  level: number;
  /** Every SLO held. */
  sloMet: boolean;
  /** The SLOs that failed, in words. */
  violations: string[];
  errorRate: number;
  /** Successful requests per second. */
  throughput: number;
}

export type NextStep = { done: false; level: number; phase: 'grow' | 'refine' } | { done: true; reason: string };

export function isGood(step: StepResult, config: SweepConfig): boolean {
  return step.sloMet && step.errorRate <= config.maxErrorRate;
}

const integerField = (config: SweepConfig) => config.field === 'load.concurrency';

function roundLevel(value: number, config: SweepConfig): number {
  return integerField(config) ? Math.max(1, Math.round(value)) : Math.round(value * 1000) / 1000;
}

/** The next level to measure, given every step so far (in the order they ran). */
export function nextStep(config: SweepConfig, steps: readonly StepResult[]): NextStep {
  if (steps.length === 0) return { done: false, level: roundLevel(config.start, config), phase: 'grow' };
  const good = steps.filter((s) => isGood(s, config));
  const bad = steps.filter((s) => !isGood(s, config));
  const lastGood = good.reduce<StepResult | undefined>(
    (best, s) => (best === undefined || s.level > best.level ? s : best),
    undefined,
  );
  const firstBad = bad.reduce<StepResult | undefined>(
    (low, s) => (low === undefined || s.level < low.level ? s : low),
    undefined,
  );

  if (firstBad === undefined) {
    // Still growing: stop when saturated or at the ceiling.
    const last = steps.at(-1) as StepResult;
    const previous = steps.at(-2);
    if (previous !== undefined && last.throughput < previous.throughput * (1 + config.minGain)) {
      return {
        done: true,
        reason: `throughput stopped rising (${fmt(previous.throughput)} → ${fmt(last.throughput)} req/s at ${last.level})`,
      };
    }
    if (last.level >= config.max)
      return { done: true, reason: `reached the sweep's maximum (${config.max}) within the SLOs` };
    const next = roundLevel(Math.min(config.max, last.level * config.factor), config);
    if (next <= last.level)
      return { done: true, reason: `reached the sweep's maximum (${config.max}) within the SLOs` };
    return { done: false, level: next, phase: 'grow' };
  }
  if (lastGood === undefined) {
    return {
      done: true,
      reason: `the first level (${firstBad.level}) already broke the SLOs: ${describeBad(firstBad, config)}`,
    };
  }
  // Every step after the first bad one was a refinement.
  const refinements = steps.length - steps.findIndex((s) => !isGood(s, config)) - 1;
  const gap = firstBad.level - lastGood.level;
  const tooClose = integerField(config) ? gap <= 1 : gap <= lastGood.level * 0.02;
  if (tooClose || refinements >= config.refine) {
    return {
      done: true,
      reason: `${lastGood.level} holds the SLOs; ${firstBad.level} does not (${describeBad(firstBad, config)})`,
    };
  }
  const mid = roundLevel((lastGood.level + firstBad.level) / 2, config);
  if (mid <= lastGood.level || mid >= firstBad.level) {
    return {
      done: true,
      reason: `${lastGood.level} holds the SLOs; ${firstBad.level} does not (${describeBad(firstBad, config)})`,
    };
  }
  return { done: false, level: mid, phase: 'refine' };
}

function describeBad(step: StepResult, config: SweepConfig): string {
  const parts = [...step.violations];
  if (step.errorRate > config.maxErrorRate)
    parts.push(`error rate ${(step.errorRate * 100).toFixed(1)}% > ${(config.maxErrorRate * 100).toFixed(1)}%`);
  return parts.join('; ') || 'not within the SLOs';
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

/** The answer of a finished search: the highest good level, if any. */
export function bestStep(config: SweepConfig, steps: readonly StepResult[]): StepResult | undefined {
  return steps
    .filter((s) => isGood(s, config))
    .reduce<StepResult | undefined>((best, s) => (best === undefined || s.level > best.level ? s : best), undefined);
}

/**
 * The knee: the lowest level whose throughput reaches 90% of the most the sweep saw. Past
 * it, more load mostly buys queueing (latency) rather than throughput.
 */
export function kneeStep(steps: readonly StepResult[]): StepResult | undefined {
  const max = Math.max(0, ...steps.map((s) => s.throughput));
  if (max === 0) return undefined;
  return [...steps].sort((a, b) => a.level - b.level).find((s) => s.throughput >= 0.9 * max);
}
