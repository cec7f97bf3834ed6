// Cold starts from the boots the records show (worker-history.ts). A boot's length is read
// from the job that waited longest for it: its delayTime, from its submission to the pickup.
// That is the boot itself when no worker was live at the submission (the first request adds
// a worker at once); under load the scaler may have waited first, so such boots only stand
// in when too few started from zero. Revivals of a worker seen before that are much faster
// than first boots are FlashBoot's. Pure.
import type { HealthSample } from '../../core/health.js';
import { fitLognormal, type LognormalFit } from './lognormal.js';
import type { JobObs } from './observations.js';
import type { Boot } from './worker-history.js';

export interface ColdStartFit {
  coldStart: LognormalFit | undefined;
  flashboot: (LognormalFit & { probability: number; revivals: number }) | undefined;
  boots: number;
  /** Boots that began with no live worker (clean samples). */
  fromZero: number;
  revivals: number;
  /** The fit used boots under load (too few from zero). */
  underLoad: boolean;
}

/** Enough clean samples to fit from them alone. */
const MIN_CLEAN = 5;

function live(sample: HealthSample): number | undefined {
  const w = sample.workers;
  if (w === undefined) return undefined;
  return (w.initializing ?? 0) + (w.ready ?? 0) + (w.running ?? 0);
}

/**
 * Whether no worker was up when a boot's first job was submitted, as /health saw it: the
 * last sample before showed none live, or the first sample after (before the boot ended)
 * showed none ready or running (a warm worker would have taken the job at once).
 * Undefined without samples around it.
 */
function noneLive(
  health: readonly HealthSample[],
  variant: string,
  atMs: number,
  bootEndMs: number,
  timeScale: number,
): boolean | undefined {
  let before: HealthSample | undefined;
  let after: HealthSample | undefined;
  for (const s of health) {
    if (s.variant !== variant || s.workers === undefined) continue;
    const t = s.tMs * timeScale;
    if (t < atMs && (before === undefined || s.tMs > before.tMs)) before = s;
    if (t > atMs && t < bootEndMs && (after === undefined || s.tMs < after.tMs)) after = s;
  }
  if (before === undefined && after === undefined) return undefined;
  if (before !== undefined && live(before) === 0) return true;
  if (after?.workers !== undefined) return (after.workers.ready ?? 0) + (after.workers.running ?? 0) === 0;
  return false;
}

/** Two groups in log scale (1-D k-means, k = 2): the split point, or undefined when one group is empty. */
function splitTwo(values: readonly number[]): { low: number[]; high: number[] } | undefined {
  const logs = values.map(Math.log).sort((a, b) => a - b);
  let best: { cost: number; at: number } | undefined;
  for (let at = 1; at < logs.length; at++) {
    const cost = spread(logs.slice(0, at)) + spread(logs.slice(at));
    if (best === undefined || cost < best.cost) best = { cost, at };
  }
  if (best === undefined) return undefined;
  const cut = Math.exp(((logs[best.at - 1] as number) + (logs[best.at] as number)) / 2);
  return { low: values.filter((v) => v < cut), high: values.filter((v) => v >= cut) };
}

function spread(xs: readonly number[]): number {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  return xs.reduce((s, v) => s + (v - mean) ** 2, 0);
}

function geoMean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, v) => s + Math.log(v), 0) / xs.length);
}

/** Some job of the variant was in flight at `atMs`: a worker was live then. */
function jobInFlight(jobs: readonly JobObs[], variant: string, atMs: number): boolean {
  return jobs.some((j) => j.variant === variant && j.pickupMs < atMs && j.endMs > atMs);
}

export function fitColdStarts(
  boots: readonly Boot[],
  jobs: readonly JobObs[],
  health: readonly HealthSample[],
  timeScale: number,
  seed: number,
): ColdStartFit {
  const clean: Boot[] = [];
  const loaded: Boot[] = [];
  for (const boot of boots) {
    const { variant, sentMs } = boot.trigger;
    // /health says whether any worker was live; without it, a job in flight says one was.
    const zero = noneLive(health, variant, sentMs, boot.endMs, timeScale) ?? !jobInFlight(jobs, variant, sentMs);
    if (!zero) loaded.push(boot);
    else clean.push(boot);
  }
  const underLoad = clean.length < MIN_CLEAN && loaded.length > 0;
  const used = underLoad ? [...clean, ...loaded] : clean;
  const revivals = used.filter((b) => b.revival);
  const result: ColdStartFit = {
    coldStart: undefined,
    flashboot: undefined,
    boots: boots.length,
    fromZero: clean.length,
    revivals: revivals.length,
    underLoad,
  };
  if (used.length === 0) return result;
  const durations = used.map((b) => b.trigger.delayMs);
  // FlashBoot: a fast group made of revivals only, clearly apart from the rest.
  if (revivals.length >= 4 && used.length >= 6) {
    const split = splitTwo(durations);
    if (split && split.low.length >= 2 && split.high.length >= 2 && geoMean(split.high) >= 3 * geoMean(split.low)) {
      const cut = Math.max(...split.low);
      const fast = used.filter((b) => b.trigger.delayMs <= cut);
      if (fast.every((b) => b.revival)) {
        const flash = fitLognormal(
          fast.map((b) => b.trigger.delayMs),
          seed + 1,
        );
        const slow = fitLognormal(split.high, seed);
        if (flash && slow) {
          result.coldStart = slow;
          result.flashboot = { ...flash, probability: fast.length / revivals.length, revivals: revivals.length };
          return result;
        }
      }
    }
  }
  result.coldStart = fitLognormal(durations, seed);
  return result;
}
