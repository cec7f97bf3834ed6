// The traffic a what-if is asked about, as the simulation takes it (core/simulation.ts):
//   a scenario's load   its arrivals (open loop), users (closed loop, at its peak level) or
//                       probes, with its prompts' sizes and sampling
//   a rate curve        requests per second at points in time (a day, say), Poisson arrivals
//   a recorded trace    a run's own sends, prompt and output lengths, as they were
// Times are model ms: a scenario written for a time-scaled emulator is scaled back. Pure.
import { UsageError } from '../../core/errors.js';
import type { Mode, RequestRecord } from '../../core/record.js';
import type { SimRequest, SimTraffic } from '../../core/simulation.js';
import { arrivalTimes } from '../../schedule/arrivals.js';
import type { LevelPoint } from '../../schedule/load-plan.js';
import type { Variant } from '../../scenario/load.js';
import { createRng, type Rng } from '../../util/rng.js';

/** How each request is shaped when the traffic does not say it request by request. */
export interface RequestShape {
  promptTokens: number;
  /** Relative spread: promptTokens × (1 ± spread), uniformly. */
  promptSpread: number;
  maxTokens: number;
  minTokens: number;
  ignoreEos: boolean;
}

export interface WhatIfTraffic {
  traffic: SimTraffic;
  mode: Mode;
  /** In words, for the report. */
  describe: string;
  /** The highest request rate over any 10 minutes (or the whole traffic, if shorter), per second. */
  peakRps: number;
  /** From the first send to the last (model ms); closed loops: their duration, if given. */
  spanMs: number;
  shape: RequestShape;
}

/** Requests a closed loop may send when only its duration bounds it. */
const CLOSED_LOOP_CAP = 200_000;
/**
 * Most requests an open-loop traffic (a scenario's arrivals, a rate curve) may hold: a day at
 * 10 requests per second and more. Past it what-if refuses rather than simulate a part: a
 * slip in a rate (1e6 for 1) would take the machine's memory instead of giving an answer.
 */
export const MAX_TRAFFIC_REQUESTS = 1_000_000;

function tooMuch(what: string, fix: string): UsageError {
  return new UsageError(
    `${what}: more than ${MAX_TRAFFIC_REQUESTS.toLocaleString('en-US')} requests, more than what-if simulates; ${fix}`,
  );
}
const PEAK_WINDOW_MS = 10 * 60_000;

function shaped(rng: Rng, shape: RequestShape, atMs: number): SimRequest {
  const tokens = Math.max(1, Math.round(shape.promptTokens * (1 + shape.promptSpread * (2 * rng.next() - 1))));
  const r: SimRequest = { atMs, promptTokens: tokens, maxTokens: shape.maxTokens };
  if (shape.minTokens > 0) r.minTokens = shape.minTokens;
  if (shape.ignoreEos) r.ignoreEos = true;
  return r;
}

/** Highest rate over any window of PEAK_WINDOW_MS (the whole span when shorter), per second. */
export function peakRate(times: readonly number[]): number {
  if (times.length === 0) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  const span = (sorted[sorted.length - 1] as number) - (sorted[0] as number);
  const window = Math.min(PEAK_WINDOW_MS, Math.max(span, 1000));
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) > window) j++;
    best = Math.max(best, i - j + 1);
  }
  return best / (window / 1000);
}

/** A scenario variant's load. `timeScale`: the scenario's emulator time scale (1 for an endpoint). */
export function scenarioTraffic(variant: Variant, shape: RequestShape, timeScale: number, seed: number): WhatIfTraffic {
  const plan = variant.plan;
  const rng = createRng(seed).fork('what-if-traffic');
  const mode = variant.scenario.mode;
  const warmup = plan.warmup.requests;
  if (plan.model === 'open') {
    const profile: LevelPoint[] = plan.profile.map((p) => ({ atMs: p.atMs * timeScale, level: p.level / timeScale }));
    const end = plan.durationMs === undefined ? Number.POSITIVE_INFINITY : plan.durationMs * timeScale;
    const limit = plan.requests === undefined ? Number.POSITIVE_INFINITY : plan.requests + warmup;
    const requests: SimRequest[] = [];
    for (const at of arrivalTimes(profile, plan.arrival, rng.fork('arrivals'), end)) {
      if (requests.length >= limit) break;
      if (requests.length >= MAX_TRAFFIC_REQUESTS)
        throw tooMuch(`${variant.name}: the load`, 'give the scenario a shorter duration or a lower rate');
      requests.push(shaped(rng, shape, at));
    }
    const times = requests.map((r) => r.atMs);
    return {
      traffic: { kind: 'open', requests },
      mode,
      describe: `${variant.name}: open loop, ${requests.length} requests`,
      peakRps: peakRate(times),
      spanMs: times.length > 0 ? (times[times.length - 1] as number) : 0,
      shape,
    };
  }
  const users = plan.model === 'probe' ? 1 : Math.max(1, Math.round(Math.max(...plan.profile.map((p) => p.level))));
  const count = Math.min(CLOSED_LOOP_CAP, plan.requests === undefined ? CLOSED_LOOP_CAP : plan.requests + warmup);
  const requests = Array.from({ length: count }, () => shaped(rng, shape, 0));
  const durationMs = plan.durationMs === undefined ? undefined : plan.durationMs * timeScale;
  const gapMs = plan.probe ? plan.probe.gapMs * timeScale : 0;
  return {
    traffic: {
      kind: 'closed',
      users,
      requests,
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(gapMs > 0 ? { gapMs } : {}),
    },
    mode,
    describe: `${variant.name}: closed loop, ${users} user${users === 1 ? '' : 's'}${durationMs !== undefined ? '' : `, ${count} requests`}`,
    peakRps: 0,
    spanMs: durationMs ?? 0,
    shape,
  };
}

/** Requests per second at points in time (model ms), linear between; Poisson arrivals. */
export function rateCurveTraffic(
  points: readonly LevelPoint[],
  shape: RequestShape,
  mode: Mode,
  seed: number,
): WhatIfTraffic {
  const rng = createRng(seed).fork('what-if-curve');
  const end = points[points.length - 1]?.atMs ?? 0;
  // The expected count (the curve's area) is checked before any arrival is drawn.
  let expected = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as LevelPoint;
    const b = points[i] as LevelPoint;
    expected += ((a.level + b.level) / 2) * ((b.atMs - a.atMs) / 1000);
  }
  if (expected > MAX_TRAFFIC_REQUESTS) throw tooMuch('the rate curve', 'lower its rates or shorten it');
  const requests: SimRequest[] = [];
  for (const at of arrivalTimes(points, 'poisson', rng.fork('arrivals'), end)) {
    if (requests.length >= MAX_TRAFFIC_REQUESTS) throw tooMuch('the rate curve', 'lower its rates or shorten it');
    requests.push(shaped(rng, shape, at));
  }
  return {
    traffic: { kind: 'open', requests },
    mode,
    describe: `a rate curve of ${points.length} points over ${Math.round(end / 60_000)} min, ${requests.length} requests (Poisson)`,
    peakRps: peakRate(requests.map((r) => r.atMs)),
    spanMs: end,
    shape,
  };
}

/** A run's records as they were: each request at its send time, with its prompt and output lengths. */
export function traceTraffic(records: readonly RequestRecord[], timeScale: number, shape: RequestShape): WhatIfTraffic {
  const sent = records
    .filter((r) => r.sentMs !== undefined && r.promptTokens !== undefined)
    .sort((a, b) => (a.sentMs as number) - (b.sentMs as number));
  const start = (sent[0]?.sentMs ?? 0) * timeScale;
  const requests: SimRequest[] = sent.map((r) => {
    const out = r.outputTokens ?? 0;
    return out > 0
      ? {
          atMs: (r.sentMs as number) * timeScale - start,
          promptTokens: r.promptTokens as number,
          maxTokens: out,
          ignoreEos: true,
        }
      : {
          atMs: (r.sentMs as number) * timeScale - start,
          promptTokens: r.promptTokens as number,
          maxTokens: shape.maxTokens,
        };
  });
  const times = requests.map((r) => r.atMs);
  return {
    traffic: { kind: 'open', requests },
    mode: sent[0]?.mode ?? 'stream',
    describe: `a recorded trace of ${requests.length} requests`,
    peakRps: peakRate(times),
    spanMs: times.length > 0 ? (times[times.length - 1] as number) : 0,
    shape,
  };
}
