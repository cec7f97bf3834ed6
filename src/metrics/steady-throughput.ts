// Throughput in the steady part of a variant, with its 95% interval. Pure.
//
// A variant's plain throughput (ok requests over first scheduled → last end) counts its
// ramp-up (nothing completes until the first request has run its course) and its tail (in a
// closed loop the last users finish one by one, leaving the endpoint part idle). On a short
// step both weigh a lot: 16 requests at 4 in flight against an endpoint serving 4 at a time
// read 15-20% under its true capacity. The steady window leaves both out:
//
//   window   from the first completion (the load has had one request's time to build up) to
//            the last send (after it, the load only drains);
//   value    ok completions inside (start, end] over the window's length. In a closed loop
//            every moment of the window has exactly `concurrency` requests in flight.
//
// Its interval (95%), by the delta method on the estimator's relative standard error:
//   closed loop  Little's law: throughput = concurrency / mean latency, so the throughput's
//                relative error is the mean latency's. The mean is over the requests sent
//                inside the window, in send order, and its standard error comes from 10
//                batch means (consecutive requests share queueing, so single requests are
//                not independent; batches of them nearly are), t with 9 degrees of freedom.
//   open loop    the completions as a Poisson count: relative error 1/√k (conservative for a
//                server steadier than Poisson).
// Fewer than MIN_STEADY_COMPLETIONS completions in the window: no steady figure at all.
// Fewer than MIN_BATCHED_REQUESTS requests sent in the window of a closed loop: a value
// without an interval.
import type { SteadyThroughputFigure } from '../core/summary.js';
import type { TableLoad } from './request-table.js';

export const MIN_STEADY_COMPLETIONS = 8;
export const MIN_BATCHED_REQUESTS = 20;
const BATCHES = 10;
/** Student's t, 0.975 quantile, 9 degrees of freedom (BATCHES − 1). */
const T_975_9 = 2.2621571627;
const Z_975 = 1.959963984540054;

export interface SteadyRequest {
  sentMs: number;
  endMs: number;
  ok: boolean;
  outputTokens: number;
}

export type SteadyThroughput = SteadyThroughputFigure;

function relativeErrorClosed(requests: readonly SteadyRequest[], startMs: number, endMs: number): number | null {
  const latencies = requests
    .filter((r) => r.ok && r.sentMs > startMs && r.sentMs <= endMs)
    .sort((a, b) => a.sentMs - b.sentMs)
    .map((r) => r.endMs - r.sentMs);
  if (latencies.length < MIN_BATCHED_REQUESTS) return null;
  const size = Math.floor(latencies.length / BATCHES);
  const means: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += latencies[i] as number;
    means.push(sum / size);
  }
  const mean = means.reduce((a, m) => a + m, 0) / BATCHES;
  if (mean <= 0) return null;
  const variance = means.reduce((a, m) => a + (m - mean) ** 2, 0) / (BATCHES - 1);
  return (T_975_9 * Math.sqrt(variance / BATCHES)) / mean;
}

/** The steady throughput of a variant's sent measured requests, or undefined when there is no steady part to measure. */
export function steadyThroughput(requests: readonly SteadyRequest[], load: TableLoad): SteadyThroughput | undefined {
  if (requests.length === 0) return undefined;
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const r of requests) {
    startMs = Math.min(startMs, r.endMs);
    endMs = Math.max(endMs, r.sentMs);
  }
  if (!(endMs > startMs)) return undefined;
  let completions = 0;
  let tokens = 0;
  for (const r of requests) {
    if (!r.ok || r.endMs <= startMs || r.endMs > endMs) continue;
    completions += 1;
    tokens += r.outputTokens;
  }
  if (completions < MIN_STEADY_COMPLETIONS) return undefined;
  const windowMs = endMs - startMs;
  const rate = (completions * 1000) / windowMs;
  const relative =
    load.model === 'closed' ? relativeErrorClosed(requests, startMs, endMs) : Z_975 / Math.sqrt(completions);
  const interval =
    relative === null || relative >= 1
      ? null
      : load.model === 'closed'
        ? // concurrency / mean latency: the interval of the mean, inverted.
          { low: rate / (1 + relative), high: rate / (1 - relative), method: 'little' as const }
        : { low: Math.max(0, rate * (1 - relative)), high: rate * (1 + relative), method: 'poisson' as const };
  return {
    windowStartMs: startMs,
    windowMs,
    completions,
    requestsPerSec: rate,
    outputTokensPerSec: (tokens * 1000) / windowMs,
    interval,
  };
}
