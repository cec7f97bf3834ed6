// What autocannon can run of a variant, as its options. Pure. autocannon keeps a fixed set
// of keep-alive connections, each with one request in flight, optionally capped at a total
// rate per second; each response is read whole. So:
//
//   closed loop, constant concurrency      → that many connections
//   open loop with load.maxInFlight        → maxInFlight connections capped at load.rate
//                                            ("rate-capped"; the rate must be whole)
//
// and nothing else: ramps (stages), Poisson arrivals, an uncapped open loop, and the modes
// that poll or stream (async, stream, openai-stream) are refused with the reason.
import type { Variant } from '../../scenario/load.js';
import { runsyncWaitMs } from '../../scenario/job-policy.js';

export interface AutocannonPlan {
  connections: number;
  /** Rate cap over all connections, requests per second (whole). */
  overallRate?: number;
  /** Per-request timeout in seconds: the HTTP timeout plus /runsync's wait. */
  timeoutSec: number;
  warmup: { requests: number; durationMs: number };
  /** Measured requests to send (warmup excluded). */
  requests?: number;
  /** How long to send measured requests. */
  durationMs?: number;
}

export type AutocannonPlanResult = { ok: true; plan: AutocannonPlan } | { ok: false; problems: string[] };

export function planAutocannon(variant: Variant): AutocannonPlanResult {
  const { scenario, plan } = variant;
  const problems: string[] = [];
  if (scenario.mode !== 'sync' && scenario.mode !== 'openai') {
    problems.push(
      `mode ${scenario.mode}: autocannon sends one kind of request per connection and reads each answer whole, so it cannot follow a job with /status or /stream polls or read a stream as it arrives; it runs modes sync and openai (use --engine native, or k6 for async and stream)`,
    );
  }
  if (plan.replay) {
    problems.push(
      'load.replay: autocannon has no arrival schedule, only a rate cap; a trace replay needs --engine native',
    );
    return { ok: false, problems };
  }
  if (plan.model === 'probe') {
    problems.push(
      'load.probes: autocannon sends as fast as its connections allow; probes one at a time with pauses need --engine native',
    );
    return { ok: false, problems };
  }
  if (plan.profile.length > 1)
    problems.push(
      'load.stages: autocannon keeps a fixed number of connections and one rate; use --engine native or k6 for ramps',
    );
  let connections = Math.round(plan.profile[0]?.level ?? 1);
  let overallRate: number | undefined;
  if (plan.model === 'open') {
    if (plan.arrival === 'poisson')
      problems.push(
        'load.arrival poisson: autocannon has no arrival process, only a rate cap per second; use --engine native',
      );
    const rate = plan.profile[0]?.level ?? 0;
    if (plan.maxInFlight === undefined) {
      problems.push(
        'load.rate without load.maxInFlight: autocannon caps a fixed set of connections at a rate (a rate-capped closed loop), it cannot open a connection per arrival; set load.maxInFlight to the connections it may use, or use --engine native or k6',
      );
    } else {
      // autocannon never runs more connections than the rate (each must get a share of it).
      connections = Math.min(plan.maxInFlight, Math.max(1, Math.floor(rate)));
    }
    if (!Number.isInteger(rate)) problems.push(`load.rate ${rate}: autocannon rates are whole requests per second`);
    overallRate = rate;
  }
  if (problems.length > 0) return { ok: false, problems };
  if (plan.requests !== undefined)
    connections = Math.max(1, Math.min(connections, plan.warmup.requests + plan.requests));
  const waitMs = scenario.mode === 'sync' ? runsyncWaitMs(scenario) : 0;
  return {
    ok: true,
    plan: {
      connections,
      ...(overallRate !== undefined ? { overallRate } : {}),
      timeoutSec: (scenario.timeouts.http + waitMs) / 1000,
      warmup: plan.warmup,
      ...(plan.requests !== undefined ? { requests: plan.requests } : {}),
      ...(plan.durationMs !== undefined ? { durationMs: plan.durationMs } : {}),
    },
  };
}
