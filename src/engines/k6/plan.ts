// A scenario variant's load plan as k6 executors. Pure. k6 schedules iterations itself, so
// every LoadPlan feature must map onto one executor, or the variant is refused with the
// reason (the runner turns problems into exit code 2 before anything is sent):
//
//   closed loop, constant concurrency, a request count  → shared-iterations
//   closed loop, constant concurrency, a duration       → constant-vus
//   closed loop with stages                              → ramping-vus
//   open loop, constant rate                             → constant-arrival-rate
//   open loop with stages                                → ramping-arrival-rate
//
// Warmup becomes a phase rule the script applies per iteration (the first N iterations, or
// those started in the first D ms), since k6 cannot chain scenarios on completion.
import type { Mode } from '../../core/record.js';
import type { Variant } from '../../scenario/load.js';
import type { LevelPoint, LoadPlan } from '../../schedule/load-plan.js';

export interface K6Stage {
  durationMs: number;
  /** VUs (ramping-vus) or iterations per timeUnit (ramping-arrival-rate). */
  target: number;
}

export type K6Executor =
  | { executor: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number }
  | { executor: 'constant-vus'; vus: number; durationMs: number }
  | { executor: 'ramping-vus'; startVUs: number; stages: K6Stage[] }
  | {
      executor: 'constant-arrival-rate';
      rate: number;
      timeUnit: string;
      durationMs: number;
      preAllocatedVUs: number;
      maxVUs: number;
    }
  | {
      executor: 'ramping-arrival-rate';
      startRate: number;
      timeUnit: string;
      stages: K6Stage[];
      preAllocatedVUs: number;
      maxVUs: number;
    };

export interface K6Plan {
  executor: K6Executor;
  /** How long iterations still running when the schedule ends may take (then k6 interrupts them). */
  gracefulStopMs: number;
  /** Iterations with a lower iterationInTest are warmup. */
  warmupIterations: number;
  /** Iterations started this soon after the scenario's start are warmup. */
  warmupMs: number;
  /** Iterations at or past this number send nothing (k6's arrival-rate executors run by time only); undefined = no cap. */
  iterationCap?: number;
  /** Requests the plan sends at most, when that is known (sizes the body file). */
  expectedIterations?: number;
}

export type K6PlanResult = { ok: true; plan: K6Plan } | { ok: false; problems: string[] };

/** k6 cannot hold more VUs than this sensibly on one machine; arrivals that find none free are dropped (not_sent records). */
export const MAX_VUS = 2000;
/** k6 refuses executor durations under one second. */
const MIN_DURATION_MS = 1000;

const SUPPORTED_MODES: readonly Mode[] = ['sync', 'async', 'stream', 'openai'];

export function planK6(variant: Variant): K6PlanResult {
  const { scenario, plan } = variant;
  const problems: string[] = [];
  if (!SUPPORTED_MODES.includes(scenario.mode)) {
    problems.push(
      `mode ${scenario.mode}: k6 reads a response body only whole (streaming reads need an extension such as xk6-sse), so it cannot measure time to first token on the OpenAI stream; use the native engine (podbench run --engine native), or mode openai for end-to-end latency only`,
    );
  }
  if (plan.replay) {
    problems.push(
      "load.replay: a trace replay sends at the trace's own arrival times, which no k6 executor follows; use the native engine (podbench run --engine native)",
    );
    return { ok: false, problems };
  }
  if (plan.model === 'probe') {
    problems.push(
      'load.probes: a probe run decides when to send the next probe at run time (after a gap, or once /health shows no worker); use the native engine (podbench run --engine native)',
    );
    return { ok: false, problems };
  }
  const result =
    plan.model === 'closed' ? planClosed(plan, scenario.timeouts.request) : planOpen(plan, scenario.timeouts.request);
  if (!result.ok) problems.push(...result.problems);
  else if (executorMs(result.plan.executor) < MIN_DURATION_MS) {
    problems.push(
      `load.duration under 1 s: k6's executors run for at least 1 s; give a longer duration or use the native engine (podbench run --engine native)`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  if (!result.ok) return result;
  // budget.maxRequests caps each script's iterations: k6 enforces it exactly, where podbench
  // would learn of the sends late (its log), and an exported script runs without podbench.
  const budget = scenario.budget.maxRequests;
  return budget === undefined ? result : { ok: true, plan: capIterations(result.plan, budget) };
}

/**
 * Whether k6 can drop iterations under this executor: the arrival-rate ones do when no VU is
 * free in time, shared-iterations those left when its maxDuration is reached. A closed loop
 * by time (constant-vus, ramping-vus) schedules nothing it could drop.
 */
export function dropsIterations(executor: K6Executor): boolean {
  return executor.executor !== 'constant-vus' && executor.executor !== 'ramping-vus';
}

/** The plan sending at most `cap` requests: k6 enforces the cap exactly (the script's iterationCap). */
export function capIterations(plan: K6Plan, cap: number): K6Plan {
  const capped: K6Plan = { ...plan, iterationCap: Math.min(plan.iterationCap ?? Infinity, cap) };
  // A count of iterations shared by the VUs ends there, rather than run empty ones.
  if (capped.executor.executor === 'shared-iterations')
    capped.executor = { ...capped.executor, iterations: Math.min(capped.executor.iterations, cap) };
  return capped;
}

/** The schedule's length (k6 refuses executors shorter than 1 s). */
function executorMs(executor: K6Executor): number {
  switch (executor.executor) {
    case 'shared-iterations':
      return executor.maxDurationMs;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return executor.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return executor.stages.reduce((sum, s) => sum + s.durationMs, 0);
    default: {
      const never: never = executor;
      return never;
    }
  }
}

function planClosed(plan: LoadPlan, requestTimeoutMs: number): K6PlanResult {
  const { warmup } = plan;
  const gracefulStopMs = requestTimeoutMs;
  if (plan.profile.length > 1) {
    const problems: string[] = [];
    if (plan.requests !== undefined)
      problems.push(
        "load.requests with load.stages: k6's ramping-vus executor stops by time only; drop requests or the stages",
      );
    if (warmup.requests > 0)
      problems.push(
        "load.warmup as a request count with load.stages: k6's ramping-vus executor cannot count a warmup; give the warmup as a duration",
      );
    if (problems.length > 0) return { ok: false, problems };
    const start = Math.round(plan.profile[0]?.level ?? 0);
    return {
      ok: true,
      plan: {
        executor: { executor: 'ramping-vus', startVUs: start, stages: stagesFor(plan, Math.round) },
        gracefulStopMs,
        warmupIterations: 0,
        warmupMs: warmup.durationMs,
      },
    };
  }
  const vus = Math.round(plan.profile[0]?.level ?? 1);
  if (plan.requests !== undefined) {
    const problems: string[] = [];
    if (warmup.durationMs > 0) {
      problems.push(
        "load.warmup as a duration with load.requests: k6's shared-iterations executor counts iterations, not time; give the warmup as a request count",
      );
    }
    if (warmup.requests > 0 && plan.durationMs !== undefined) {
      problems.push(
        'load.warmup as a request count with both load.requests and load.duration: k6 cannot start the duration after the warmup; drop one of the stops',
      );
    }
    if (problems.length > 0) return { ok: false, problems };
    const iterations = warmup.requests + plan.requests;
    const users = Math.min(vus, iterations);
    // No duration: k6 still needs a bound; this one is never reached unless every request hits timeouts.request.
    const maxDurationMs = plan.durationMs ?? Math.ceil(iterations / users) * requestTimeoutMs + requestTimeoutMs;
    return {
      ok: true,
      plan: {
        executor: { executor: 'shared-iterations', vus: users, iterations, maxDurationMs },
        gracefulStopMs,
        warmupIterations: warmup.requests,
        warmupMs: 0,
        expectedIterations: iterations,
      },
    };
  }
  if (warmup.requests > 0) {
    return {
      ok: false,
      problems: [
        "load.warmup as a request count with load.duration: k6's constant-vus executor runs by time only; give the warmup as a duration",
      ],
    };
  }
  return {
    ok: true,
    plan: {
      executor: { executor: 'constant-vus', vus, durationMs: warmup.durationMs + (plan.durationMs ?? 0) },
      gracefulStopMs,
      warmupIterations: 0,
      warmupMs: warmup.durationMs,
    },
  };
}

function planOpen(plan: LoadPlan, requestTimeoutMs: number): K6PlanResult {
  const problems: string[] = [];
  if (plan.arrival === 'poisson')
    problems.push(
      'load.arrival poisson: k6 has no Poisson executor (its arrival-rate executors space iterations evenly); use the native engine (podbench run --engine native)',
    );
  if (plan.maxInFlight !== undefined) {
    problems.push(
      'load.maxInFlight: k6 drops an arrival when no VU is free, where podbench delays it until a request ends; use the native engine (podbench run --engine native)',
    );
  }
  const levels = plan.profile.map((p) => p.level);
  const { rate: rateOf, timeUnit } = rateUnit(levels);
  const peak = Math.max(...levels);
  // Little's law with the slowest a request may be: enough VUs that k6 never has to drop an arrival.
  const maxVUs = Math.min(MAX_VUS, Math.max(1, Math.ceil((peak * requestTimeoutMs) / 1000)));
  const preAllocatedVUs = Math.min(maxVUs, Math.max(1, Math.ceil(peak * 10)));
  const gracefulStopMs = requestTimeoutMs;
  const { warmup } = plan;

  if (plan.profile.length > 1) {
    if (plan.requests !== undefined)
      problems.push(
        "load.requests with load.stages: k6's ramping-arrival-rate executor stops by time only; drop requests or the stages",
      );
    if (warmup.requests > 0)
      problems.push('load.warmup as a request count with load.stages: give the warmup as a duration');
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      plan: {
        executor: {
          executor: 'ramping-arrival-rate',
          startRate: rateOf(plan.profile[0]?.level ?? 0),
          timeUnit,
          stages: stagesFor(plan, rateOf),
          preAllocatedVUs,
          maxVUs,
        },
        gracefulStopMs,
        warmupIterations: 0,
        warmupMs: warmup.durationMs,
      },
    };
  }
  if (problems.length > 0) return { ok: false, problems };
  // Constant rate r: arrivals at k/r. podbench's warmup lasts until both its count and its
  // duration are met, so it is the first max(W, ceil(D·r)) arrivals, and measuring goes on
  // at the same spacing. Counting iterations is then exact, whatever k6 does at the edges.
  const rate = plan.profile[0]?.level ?? 0;
  const warmupIterations = Math.max(warmup.requests, Math.ceil((warmup.durationMs * rate) / 1000));
  const byDuration =
    plan.durationMs !== undefined ? Math.ceil((plan.durationMs * rate) / 1000) : Number.POSITIVE_INFINITY;
  const measured = Math.min(plan.requests ?? Number.POSITIVE_INFINITY, byDuration);
  const total = warmupIterations + measured;
  const durationMs = Math.max(MIN_DURATION_MS, Math.ceil((total * 1000) / rate));
  return {
    ok: true,
    plan: {
      executor: {
        executor: 'constant-arrival-rate',
        rate: rateOf(rate),
        timeUnit,
        durationMs,
        preAllocatedVUs,
        maxVUs,
      },
      gracefulStopMs,
      warmupIterations,
      warmupMs: 0,
      iterationCap: total,
      expectedIterations: total,
    },
  };
}

/** k6 rates are whole iterations per timeUnit: per second when every level is whole, else per 1000 s (0.001/s resolution). */
function rateUnit(levels: number[]): { rate: (perSec: number) => number; timeUnit: string } {
  if (levels.every((l) => Number.isInteger(l))) return { rate: (perSec) => perSec, timeUnit: '1s' };
  return { rate: (perSec) => Math.round(perSec * 1000), timeUnit: '1000s' };
}

/**
 * The profile after a warmup at its starting level, cut or extended to plan.durationMs:
 * podbench's profile moves linearly between breakpoints and holds the last level, and so do
 * k6's ramping executors between stage targets.
 */
export function stagesFor(plan: LoadPlan, level: (value: number) => number): K6Stage[] {
  const profile = plan.profile;
  const first = profile[0] as LevelPoint;
  const stages: K6Stage[] = [];
  if (plan.warmup.durationMs > 0) stages.push({ durationMs: plan.warmup.durationMs, target: level(first.level) });
  const endMs = plan.durationMs ?? (profile.at(-1) as LevelPoint).atMs;
  let previous = first;
  for (const point of profile.slice(1)) {
    if (point.atMs >= endMs) {
      const span = point.atMs - previous.atMs;
      const at =
        span === 0 ? point.level : previous.level + ((point.level - previous.level) * (endMs - previous.atMs)) / span;
      if (endMs > previous.atMs) stages.push({ durationMs: endMs - previous.atMs, target: level(at) });
      return stages;
    }
    stages.push({ durationMs: point.atMs - previous.atMs, target: level(point.level) });
    previous = point;
  }
  if (endMs > previous.atMs) stages.push({ durationMs: endMs - previous.atMs, target: level(previous.level) });
  return stages;
}
