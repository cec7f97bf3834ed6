// A scenario's `load:` block, normalised into one plan the engines follow: closed or open
// loop, a piecewise-linear level over time (concurrency or requests/s), stop conditions and
// warmup. Pure; the problems a person can make are reported as messages, not thrown.
import { INPUT_LIMITS } from '../core/input-limits.js';
import type { LoadProfile, LoadSettings } from './load-schema.js';

export interface LevelPoint {
  atMs: number;
  /** Concurrency (closed loop) or requests per second (open loop). */
  level: number;
}

export interface LoadPlan {
  /** closed: N users; open: an arrival schedule; probe: one request at a time with pauses between. */
  model: 'closed' | 'open' | 'probe';
  /** Breakpoints from atMs 0; the level moves linearly between them and stays at the last. */
  profile: LevelPoint[];
  arrival: 'constant' | 'poisson';
  /** Open loop: cap on requests in flight. */
  maxInFlight?: number;
  /** Measured requests to send (warmup excluded). */
  requests?: number;
  /** How long to schedule measured requests. */
  durationMs?: number;
  warmup: { requests: number; durationMs: number };
  /** Probe model: the pause after each probe, and whether to wait for scale-to-zero instead. */
  probe?: { gapMs: number; untilIdle: boolean };
  /** Trace replay (open loop): arrival offsets from the measured phase's start, already scaled, ascending. */
  replay?: { arrivalsMs: readonly number[]; speedup: number };
}

export type PlanResult = { ok: true; plan: LoadPlan } | { ok: false; problems: string[] };

/**
 * `traceOffsetsMs`: the arrival offsets of the scenario's trace (unscaled, ascending), which
 * load.replay turns into the arrivals.
 */
export function planLoad(load: LoadSettings, traceOffsetsMs?: readonly number[]): PlanResult {
  if (load.replay !== undefined) return planReplay(load, load.replay.speedup, traceOffsetsMs);
  if (load.profile !== undefined) return planProfile(load, load.profile);
  if (load.sweepSize !== undefined) return { ok: false, problems: ['load.sweepSize: applies to load.profile: sweep'] };
  if (load.probes !== undefined || load.gap !== undefined || load.untilIdle !== undefined) return planProbes(load);
  const problems: string[] = [];
  const stages = load.stages ?? [];
  const closedStages = stages.filter((s) => 'concurrency' in s).length;
  const openStages = stages.length - closedStages;
  if (closedStages > 0 && openStages > 0) problems.push('load.stages: mix concurrency and rate stages, use one kind');
  if (load.concurrency !== undefined && load.rate !== undefined) {
    problems.push('load: give concurrency (closed loop) or rate (open loop), not both');
  }
  const model: LoadPlan['model'] = load.rate !== undefined || openStages > 0 ? 'open' : 'closed';
  if (model === 'open' && closedStages > 0)
    problems.push('load.stages: concurrency stages need a closed loop (drop load.rate)');
  // Neither concurrency, rate nor stages: one user, as a scenario without load: has (the
  // schema's default for the whole field), so `load: { requests: 2 }` means what it says.
  const concurrency = model === 'closed' && stages.length === 0 ? (load.concurrency ?? 1) : load.concurrency;
  if (model === 'closed' && load.arrival === 'poisson')
    problems.push('load.arrival: poisson arrivals need an open loop (set load.rate)');
  if (model === 'closed' && load.maxInFlight !== undefined)
    problems.push('load.maxInFlight: applies to open loops only (set load.rate)');

  const levelOf = (stage: (typeof stages)[number]) => ('concurrency' in stage ? stage.concurrency : stage.rate);
  const start = model === 'open' ? load.rate : concurrency;
  const profile: LevelPoint[] = [{ atMs: 0, level: start ?? (stages[0] ? levelOf(stages[0]) : 0) }];
  let atMs = 0;
  for (const stage of stages) {
    atMs += stage.duration;
    profile.push({ atMs, level: levelOf(stage) });
  }
  const durationMs = load.duration ?? (stages.length > 0 ? atMs : undefined);
  if (load.requests === undefined && durationMs === undefined) {
    problems.push('load: set requests, duration or stages, or the run would never stop');
  }
  if (durationMs === 0) problems.push('load.duration: must be longer than 0');
  if (profile.every((p) => p.level === 0)) problems.push('load: every level is 0, nothing would be sent');
  const warmup: { requests?: number; duration?: number } = load.warmup ?? {};
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      model,
      profile,
      arrival: load.arrival,
      ...(load.maxInFlight !== undefined ? { maxInFlight: load.maxInFlight } : {}),
      ...(load.requests !== undefined ? { requests: load.requests } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      warmup: { requests: warmup.requests ?? 0, durationMs: warmup.duration ?? 0 },
    },
  };
}

/** The level at a time: linear between breakpoints, constant after the last. */
export function levelAt(profile: readonly LevelPoint[], atMs: number): number {
  const first = profile[0];
  if (!first) return 0;
  if (atMs <= first.atMs) return first.level;
  for (let i = 1; i < profile.length; i++) {
    const a = profile[i - 1] as LevelPoint;
    const b = profile[i] as LevelPoint;
    if (atMs <= b.atMs) {
      const span = b.atMs - a.atMs;
      return span === 0 ? b.level : a.level + ((b.level - a.level) * (atMs - a.atMs)) / span;
    }
  }
  return (profile.at(-1) as LevelPoint).level;
}

/**
 * GuideLLM's profiles. synchronous: one request at a time. throughput: every request at
 * once (a closed loop as wide as the request count, or load.maxInFlight), so the endpoint
 * runs at its most. sweep: its first step is the synchronous run; the runner derives the
 * rest from what that and the throughput run measure (src/runner/variant-source.ts), so
 * this also checks that its throughput step could be planned.
 */
function planProfile(load: LoadSettings, profile: LoadProfile): PlanResult {
  const problems: string[] = [];
  for (const field of ['concurrency', 'rate', 'stages', 'probes', 'gap', 'untilIdle'] as const) {
    if (load[field] !== undefined)
      problems.push(`load.${field}: does not apply to load.profile ${profile} (the profile sets the load)`);
  }
  if (load.sweepSize !== undefined && profile !== 'sweep')
    problems.push(`load.sweepSize: applies to load.profile: sweep, not ${profile}`);
  if (load.requests === undefined && load.duration === undefined)
    problems.push('load: set requests or duration, or the run would never stop');
  if (load.duration === 0) problems.push('load.duration: must be longer than 0');
  const atOnce = load.maxInFlight ?? load.requests;
  if (profile !== 'synchronous' && atOnce === undefined)
    problems.push(
      `load.profile ${profile}: its throughput run sends every request at once: set load.requests, or load.maxInFlight for how many at a time`,
    );
  const wide = Math.min(atOnce ?? 1, load.requests ?? Number.POSITIVE_INFINITY);
  if (profile !== 'synchronous' && wide > INPUT_LIMITS.concurrency)
    problems.push(
      `load.profile ${profile}: ${wide} requests at once is past podbench's limit of ${INPUT_LIMITS.concurrency} in flight: set load.maxInFlight`,
    );
  if (problems.length > 0) return { ok: false, problems };
  const level = profile === 'throughput' ? wide : 1;
  const warmup: { requests?: number; duration?: number } = load.warmup ?? {};
  return {
    ok: true,
    plan: {
      model: 'closed',
      profile: [{ atMs: 0, level }],
      arrival: 'constant',
      ...(load.requests !== undefined ? { requests: load.requests } : {}),
      ...(load.duration !== undefined ? { durationMs: load.duration } : {}),
      warmup: { requests: warmup.requests ?? 0, durationMs: warmup.duration ?? 0 },
    },
  };
}

/** Probes: `probes` requests, one at a time, each followed by a gap or a wait for scale-to-zero. */
function planProbes(load: LoadSettings): PlanResult {
  const problems: string[] = [];
  if (load.probes === undefined)
    problems.push('load.probes: set how many probes to send (load.gap and load.untilIdle belong to probes)');
  for (const field of ['concurrency', 'rate', 'stages', 'duration', 'maxInFlight', 'warmup'] as const) {
    if (load[field] !== undefined) problems.push(`load.${field}: does not apply to probes (one request at a time)`);
  }
  if (load.gap === undefined && !load.untilIdle)
    problems.push('load: probes need a gap (longer than the idle timeout) or untilIdle: true');
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      model: 'probe',
      profile: [{ atMs: 0, level: 1 }],
      arrival: 'constant',
      // load.requests (--requests) caps the probes, so a long cold-start run can be shortened.
      requests: Math.min(load.probes as number, load.requests ?? Number.POSITIVE_INFINITY),
      warmup: { requests: 0, durationMs: 0 },
      probe: { gapMs: load.gap ?? 0, untilIdle: load.untilIdle ?? false },
    },
  };
}

/** Trace replay: an open loop whose arrivals are the trace's, scaled; requests and duration cut it short. */
function planReplay(load: LoadSettings, speedup: number, traceOffsetsMs: readonly number[] | undefined): PlanResult {
  const problems: string[] = [];
  if (traceOffsetsMs === undefined || traceOffsetsMs.length === 0)
    problems.push('load.replay: needs input.trace, the trace whose arrivals it replays');
  for (const field of ['concurrency', 'rate', 'stages', 'warmup', 'probes', 'gap', 'untilIdle'] as const) {
    if (load[field] !== undefined)
      problems.push(`load.${field}: does not apply to a trace replay (the trace sets the arrivals)`);
  }
  if (load.arrival === 'poisson') problems.push("load.arrival: a trace replay keeps the trace's own arrivals");
  if (load.duration === 0) problems.push('load.duration: must be longer than 0');
  if (problems.length > 0) return { ok: false, problems };
  const arrivalsMs = (traceOffsetsMs as readonly number[]).map((ms) => ms / speedup);
  const spanMs = arrivalsMs.at(-1) as number;
  // The mean rate stands in for the level where one number is asked for (descriptions, rate-limit warnings).
  const meanRate = spanMs > 0 ? ((arrivalsMs.length - 1) * 1000) / spanMs : arrivalsMs.length;
  return {
    ok: true,
    plan: {
      model: 'open',
      profile: [{ atMs: 0, level: meanRate }],
      arrival: 'constant',
      ...(load.maxInFlight !== undefined ? { maxInFlight: load.maxInFlight } : {}),
      ...(load.requests !== undefined ? { requests: load.requests } : {}),
      ...(load.duration !== undefined ? { durationMs: load.duration } : {}),
      warmup: { requests: 0, durationMs: 0 },
      replay: { arrivalsMs, speedup },
    },
  };
}

/** The arrivals a replay sends: the trace's, cut by the plan's request count and duration. */
export function replayArrivals(plan: LoadPlan): readonly number[] {
  const arrivals = plan.replay?.arrivalsMs ?? [];
  const inTime = plan.durationMs === undefined ? arrivals : arrivals.filter((ms) => ms < (plan.durationMs as number));
  return plan.requests === undefined ? inTime : inTime.slice(0, plan.requests);
}

/**
 * How many requests the plan sends in all (warmup included), when the plan itself fixes it:
 * a request count with no duration, warmup by count only. Undefined when time decides.
 */
export function plannedRequests(plan: LoadPlan): number | undefined {
  if (plan.replay) return replayArrivals(plan).length;
  if (plan.requests === undefined || plan.durationMs !== undefined || plan.warmup.durationMs > 0) return undefined;
  return plan.requests + plan.warmup.requests;
}
