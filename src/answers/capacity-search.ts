// The capacity search: which load is the most an endpoint takes within its SLOs? Pure: it
// looks at the steps measured so far and names the next level to try, or stops.
//
//   grow    start, start·factor, start·factor², ... until a step breaks the SLO, has too
//           many errors, stops gaining throughput (saturated), or passes `max`;
//   refine  bisect between the last good level and the first bad one, `refine` times
//           (integers for concurrency: until the two are 1 apart);
//   extend  (closed loop) a step within the SLOs whose steady throughput is not yet known to `tolerance`
//           (its 95% interval's half width over the value) runs again with twice the
//           requests, up to `maxRequests`; the longer run replaces the shorter one. Growing
//           stops on a throughput that did not rise, so a short, noisy step would stop the
//           search early or late, and the answer is a step's throughput.
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
  /** A good step runs again with twice the requests while its throughput's 95% interval is wider than ± this share (absent: never). */
  tolerance?: number;
  /** Requests one step may grow to (absent: no growth). */
  maxRequests?: number;
}

export interface StepResult {
  level: number;
  /** Every SLO held. */
  sloMet: boolean;
  /** The SLOs that failed, in words. */
  violations: string[];
  errorRate: number;
  /** Successful requests per second (the steady figure when the step had one). */
  throughput: number;
  /** Its 95% interval, when the step was long enough to tell. */
  throughputInterval?: { low: number; high: number } | null;
  /** Measured requests the step was planned with (absent: the step cannot grow). */
  requests?: number;
}

export type NextStep =
  | { done: false; level: number; phase: 'grow' | 'refine' }
  | { done: false; level: number; phase: 'extend'; requests: number }
  | { done: true; reason: string };

export function isGood(step: StepResult, config: SweepConfig): boolean {
  return step.sloMet && step.errorRate <= config.maxErrorRate;
}

const integerField = (config: SweepConfig) => config.field === 'load.concurrency';

function roundLevel(value: number, config: SweepConfig): number {
  return integerField(config) ? Math.max(1, Math.round(value)) : Math.round(value * 1000) / 1000;
}

/** The half width of a step's throughput interval over its value; Infinity when unknown. */
export function relativeHalfWidth(step: StepResult): number {
  const interval = step.throughputInterval;
  if (!interval || !(step.throughput > 0)) return Number.POSITIVE_INFINITY;
  return (interval.high - interval.low) / 2 / step.throughput;
}

/** The step to run again, longer, when the last one was good but its throughput not yet stable. */
function extension(config: SweepConfig, last: StepResult): NextStep | undefined {
  if (config.tolerance === undefined || config.maxRequests === undefined || last.requests === undefined) return;
  // An open loop's throughput is its offered rate until the endpoint saturates, and its
  // interval (a Poisson count, ±1.96/√n) would need thousands of requests to reach a few
  // percent: rate steps are not grown.
  if (config.field !== 'load.concurrency') return;
  if (!isGood(last, config) || relativeHalfWidth(last) <= config.tolerance) return;
  const requests = Math.min(config.maxRequests, last.requests * 2);
  if (requests <= last.requests) return;
  return { done: false, level: last.level, phase: 'extend', requests };
}

/** One step per level: a level measured again (longer) replaces its earlier measurement, keeping its place. */
export function latestPerLevel(steps: readonly StepResult[]): StepResult[] {
  const latest = new Map<number, StepResult>();
  for (const step of steps) latest.set(step.level, step);
  return [...latest.values()];
}

/** The next level to measure, given every step so far (in the order they ran). */
export function nextStep(config: SweepConfig, measured: readonly StepResult[]): NextStep {
  if (measured.length === 0) return { done: false, level: roundLevel(config.start, config), phase: 'grow' };
  const again = extension(config, measured.at(-1) as StepResult);
  if (again) return again;
  const steps = latestPerLevel(measured);
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
  return latestPerLevel(steps)
    .filter((s) => isGood(s, config))
    .reduce<StepResult | undefined>((best, s) => (best === undefined || s.level > best.level ? s : best), undefined);
}

/**
 * The knee: the lowest level whose throughput reaches 90% of the most the sweep saw. Past
 * it, more load mostly buys queueing (latency) rather than throughput.
 */
export function kneeStep(measured: readonly StepResult[]): StepResult | undefined {
  const steps = latestPerLevel(measured);
  const max = Math.max(0, ...steps.map((s) => s.throughput));
  if (max === 0) return undefined;
  return steps.sort((a, b) => a.level - b.level).find((s) => s.throughput >= 0.9 * max);
}
