// Throughput in the steady part of a variant, with its 95% interval. Pure.
//
// A variant's plain throughput (ok requests over first scheduled → last end) counts its
// ramp-up (nothing completes until the first request has run its course) and its drain (in a
// closed loop the last users finish one by one, leaving the endpoint part idle). On a short
// step both weigh a lot: 16 requests at 4 in flight against an endpoint serving 4 at a time
// read 13-20% under its true capacity. The steady window leaves both out: it runs from the
// first completion (the load has had one request's time to build up) to the last send
// (after it, the load only drains).
//
//   closed loop  Little's law over the requests sent inside the window: every one of the
//                `concurrency` users is always either waiting for a request or about to
//                send one, so completions per second = concurrency / mean time per request,
//                a request's time counted from when its user was free (scheduledMs: the
//                client's own send delay is part of the loop) to its end. Counting the
//                completions inside the window instead would be off by up to a batch at its
//                edges on an endpoint that finishes requests in batches (4% high in
//                bench:capacity). Ok requests per second = that × the share that were ok.
//                Interval: the mean's, from 10 batch means in send order (consecutive
//                requests share queueing, so single requests are not independent; batches
//                of them nearly are), t with 9 degrees of freedom, inverted.
//   open loop    ok completions inside the window over its length; interval: a Poisson count,
//                relative error 1.96/√k (conservative for a server steadier than Poisson).
//
// Fewer than MIN_STEADY_COMPLETIONS requests in the window: no steady figure at all. A closed
// loop with fewer than MIN_BATCHED_REQUESTS: a value without an interval.
import type { SteadyThroughputFigure } from '../core/summary.js';
import type { TableLoad } from './request-table.js';

export const MIN_STEADY_COMPLETIONS = 8;
export const MIN_BATCHED_REQUESTS = 20;
const BATCHES = 10;
/** Student's t, 0.975 quantile, 9 degrees of freedom (BATCHES − 1). */
const T_975_9 = 2.2621571627;
const Z_975 = 1.959963984540054;

export interface SteadyRequest {
  /** When the request was due: for a closed loop, when its user was free. */
  scheduledMs: number;
  sentMs: number;
  endMs: number;
  ok: boolean;
  outputTokens: number;
}

export type SteadyThroughput = SteadyThroughputFigure;

interface Window {
  startMs: number;
  endMs: number;
}

function steadyWindow(requests: readonly SteadyRequest[]): Window | undefined {
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const r of requests) {
    startMs = Math.min(startMs, r.endMs);
    endMs = Math.max(endMs, r.sentMs);
  }
  return endMs > startMs ? { startMs, endMs } : undefined;
}

/** Mean of 10 batch means and the relative half width of its 95% interval (null under MIN_BATCHED_REQUESTS values). */
function batchMeans(values: readonly number[]): { mean: number; relative: number | null } {
  let total = 0;
  for (const v of values) total += v;
  const mean = total / values.length;
  if (values.length < MIN_BATCHED_REQUESTS || mean <= 0) return { mean, relative: null };
  const size = Math.floor(values.length / BATCHES);
  const means: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += values[i] as number;
    means.push(sum / size);
  }
  const grand = means.reduce((a, m) => a + m, 0) / BATCHES;
  const variance = means.reduce((a, m) => a + (m - grand) ** 2, 0) / (BATCHES - 1);
  return { mean, relative: (T_975_9 * Math.sqrt(variance / BATCHES)) / grand };
}

function closedLoop(
  requests: readonly SteadyRequest[],
  window: Window,
  concurrency: number,
): SteadyThroughput | undefined {
  const inside = requests
    .filter((r) => r.sentMs > window.startMs && r.sentMs <= window.endMs)
    .sort((a, b) => a.sentMs - b.sentMs);
  if (inside.length < MIN_STEADY_COMPLETIONS) return undefined;
  const { mean, relative } = batchMeans(inside.map((r) => r.endMs - r.scheduledMs));
  if (!(mean > 0)) return undefined;
  let ok = 0;
  let tokens = 0;
  for (const r of inside) {
    if (!r.ok) continue;
    ok += 1;
    tokens += r.outputTokens;
  }
  const perSec = (concurrency * 1000) / mean;
  const rate = (perSec * ok) / inside.length;
  return {
    windowStartMs: window.startMs,
    windowMs: window.endMs - window.startMs,
    completions: inside.length,
    requestsPerSec: rate,
    outputTokensPerSec: (perSec * tokens) / inside.length,
    interval:
      relative === null || relative >= 1
        ? null
        : { low: rate / (1 + relative), high: rate / (1 - relative), method: 'little' },
  };
}

function openLoop(requests: readonly SteadyRequest[], window: Window): SteadyThroughput | undefined {
  let completions = 0;
  let tokens = 0;
  for (const r of requests) {
    if (!r.ok || r.endMs <= window.startMs || r.endMs > window.endMs) continue;
    completions += 1;
    tokens += r.outputTokens;
  }
  if (completions < MIN_STEADY_COMPLETIONS) return undefined;
  const windowMs = window.endMs - window.startMs;
  const rate = (completions * 1000) / windowMs;
  const relative = Z_975 / Math.sqrt(completions);
  return {
    windowStartMs: window.startMs,
    windowMs,
    completions,
    requestsPerSec: rate,
    outputTokensPerSec: (tokens * 1000) / windowMs,
    interval: relative >= 1 ? null : { low: rate * (1 - relative), high: rate * (1 + relative), method: 'poisson' },
  };
}

/** The steady throughput of a variant's sent measured requests, or undefined when there is no steady part to measure. */
export function steadyThroughput(requests: readonly SteadyRequest[], load: TableLoad): SteadyThroughput | undefined {
  const window = steadyWindow(requests);
  if (!window) return undefined;
  return load.model === 'closed' ? closedLoop(requests, window, load.concurrency) : openLoop(requests, window);
}
