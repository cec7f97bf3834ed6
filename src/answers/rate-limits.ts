// Does a planned load fit Runpod's per-endpoint rate limits? A polling client spends the
// same budget as its submissions: 200 jobs polled every 250 ms already need 800 /status
// calls a second against a limit of 200. Pure: estimates from the scenario alone, before
// anything is sent, so they are rough by design and worded as "about".
import type { Variant } from '../scenario/load.js';
import { isOpenAiMode } from '../scenario/payload.js';
import { RUNPOD_LIMITS } from '../core/runpod-limits.js';

/** A fast GPU's decode speed: the shortest a request can plausibly take, for upper bounds on rates. */
const FASTEST_MS_PER_TOKEN = 10;
const MIN_REQUEST_MS = 100;
/**
 * A long-poll returns at most once per round trip (and per token batch of a legacy worker):
 * 100 ms is a fast round trip to api.runpod.ai, so about 10 calls a second per job at most.
 */
const LONG_POLL_MIN_MS = 100;

export interface LoadEstimate {
  /** Requests in flight at the peak. */
  inFlight: number;
  /** Submissions per second at the peak (upper bound for closed loops). */
  submitsPerSec: number;
  /** Status or stream polls per second at the peak (upper bound). */
  pollsPerSec: number;
}

export function estimateLoad(variant: Variant): LoadEstimate {
  const { scenario, plan } = variant;
  const peak = Math.max(...plan.profile.map((p) => p.level));
  const maxTokens = Number(scenario.sampling_params.max_tokens ?? 100);
  const shortestMs = Math.max(MIN_REQUEST_MS, maxTokens * FASTEST_MS_PER_TOKEN);
  let inFlight: number;
  let submitsPerSec: number;
  if (plan.model === 'open') {
    submitsPerSec = peak;
    inFlight = Math.min(plan.maxInFlight ?? Number.POSITIVE_INFINITY, (peak * shortestMs) / 1000);
  } else {
    // A closed loop of 8 sending 1 request has 1 in flight.
    inFlight = Math.min(peak, plan.requests !== undefined ? plan.requests + plan.warmup.requests : peak);
    submitsPerSec = (inFlight * 1000) / shortestMs;
  }
  let pollsPerSec = 0;
  const polled = scenario.mode === 'async' || scenario.mode === 'stream';
  if (polled) {
    // A long-poll holds one call per job and returns when data comes.
    const perJob = scenario.polling.wait > 0 ? 1000 / LONG_POLL_MIN_MS : 1000 / Math.max(scenario.polling.interval, 1);
    pollsPerSec = inFlight * perJob;
  }
  return { inFlight, submitsPerSec, pollsPerSec };
}

export function rateLimitWarnings(variant: Variant): string[] {
  const { scenario } = variant;
  const load = estimateLoad(variant);
  const warnings: string[] = [];
  // A closed loop's submission rate depends on latency not known yet: its estimate is an upper bound.
  const submitWord = variant.plan.model === 'closed' ? 'up to' : 'about';
  // A run that submits fewer requests in all than a limit's 10 s window holds cannot pass it,
  // however fast they go (a sweep's throughput step: 34 requests at once).
  const { plan } = variant;
  const submissions = plan.requests !== undefined ? plan.requests + plan.warmup.requests : Number.POSITIVE_INFINITY;
  const check = (
    route: 'run' | 'runsync' | 'status' | 'stream' | 'openai',
    perSec: number,
    inFlight: number,
    why: string,
    word = 'about',
    total = Number.POSITIVE_INFINITY,
  ) => {
    const limit = RUNPOD_LIMITS[route];
    if (perSec > limit.per10s / 10 && total > limit.per10s) {
      warnings.push(
        `${word} ${Math.round(perSec)} /${route} calls a second (${why}) against Runpod's limit of ${limit.per10s} per 10 s: expect 429s`,
      );
    }
    if (inFlight > limit.concurrent) {
      warnings.push(
        `about ${Math.round(inFlight)} /${route} calls in flight against Runpod's limit of ${limit.concurrent}: expect 429s`,
      );
    }
  };
  if (isOpenAiMode(scenario.mode)) {
    check('openai', load.submitsPerSec, load.inFlight, 'one per request', submitWord, submissions);
  } else if (scenario.mode === 'sync') {
    check('runsync', load.submitsPerSec, load.inFlight, 'one per request', submitWord, submissions);
  } else {
    check('run', load.submitsPerSec, 0, 'one per request', submitWord, submissions);
    const route = scenario.mode === 'stream' ? 'stream' : 'status';
    const how = scenario.polling.wait > 0 ? 'long-polling' : `polled every ${scenario.polling.interval} ms`;
    // A poll waits for its answer before the next interval starts: the interval alone gives an
    // upper bound (at polling.interval 0, 1,000 a second per job; a round trip makes it fewer).
    check(
      route,
      load.pollsPerSec,
      scenario.polling.wait > 0 ? load.inFlight : 0,
      `${Math.round(load.inFlight)} job${Math.round(load.inFlight) === 1 ? '' : 's'} in flight, ${how}`,
      'up to',
    );
  }
  return warnings;
}
