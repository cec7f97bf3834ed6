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
//   burst        (load.profile throughput: every request sent at once) no request is sent
//                after the first completion, so the window is the drain itself: ok
//                completions after the first one over the time from the first completion
//                to the last, while the endpoint's queue holds work; interval as the open
//                loop's. Counted from the first completion, not from the send, so the first
//                request's own time is not read as throughput lost.
//   open loop    ok completions inside the window over its length; interval: a Poisson count,
//                relative error 1.96/√k (conservative for a server steadier than Poisson).
//
// Fewer than MIN_STEADY_COMPLETIONS requests in the window: no steady figure at all. A closed
// loop with fewer than MIN_BATCHED_REQUESTS: a value without an interval.
import type { SteadyThroughputFigure } from '../core/summary.js';
import type { TableLoad } from './request-table.js';
import { SmallIntColumn, Float64Column } from './columns.js';

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

/**
 * The requests column by column: a run of a million records keeps typed columns of numbers
 * (about 32 bytes a request, ./columns.ts) instead of a million objects.
 */
export class SteadyColumns {
  private readonly scheduled = new Float64Column();
  private readonly sent = new Float64Column();
  private readonly end = new Float64Column();
  private readonly tokens = new SmallIntColumn();
  private readonly okFlags = new SmallIntColumn();

  push(r: SteadyRequest): void {
    this.scheduled.push(r.scheduledMs);
    this.sent.push(r.sentMs);
    this.end.push(r.endMs);
    this.tokens.push(r.outputTokens);
    this.okFlags.push(r.ok ? 1 : 0);
  }

  get length(): number {
    return this.sent.length;
  }

  /** The columns as arrays (copies). */
  arrays(): Columns {
    const whole = (column: SmallIntColumn) => Float64Array.from({ length: this.length }, (_, i) => column.get(i));
    return {
      length: this.length,
      scheduledMs: this.scheduled.toArray(),
      sentMs: this.sent.toArray(),
      endMs: this.end.toArray(),
      outputTokens: whole(this.tokens),
      ok: whole(this.okFlags),
    };
  }

  static of(requests: readonly SteadyRequest[]): SteadyColumns {
    const columns = new SteadyColumns();
    for (const r of requests) columns.push(r);
    return columns;
  }
}

interface Columns {
  length: number;
  scheduledMs: Float64Array;
  sentMs: Float64Array;
  endMs: Float64Array;
  outputTokens: Float64Array;
  /** 1 ok, 0 not. */
  ok: Float64Array;
}

interface Window {
  startMs: number;
  endMs: number;
}

function steadyWindow(c: Columns): Window | undefined {
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < c.length; i++) {
    startMs = Math.min(startMs, c.endMs[i] as number);
    endMs = Math.max(endMs, c.sentMs[i] as number);
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

function closedLoop(c: Columns, window: Window, concurrency: number): SteadyThroughput | undefined {
  const inside: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const sent = c.sentMs[i] as number;
    if (sent > window.startMs && sent <= window.endMs) inside.push(i);
  }
  if (inside.length < MIN_STEADY_COMPLETIONS) return undefined;
  inside.sort((a, b) => (c.sentMs[a] as number) - (c.sentMs[b] as number));
  const { mean, relative } = batchMeans(inside.map((i) => (c.endMs[i] as number) - (c.scheduledMs[i] as number)));
  if (!(mean > 0)) return undefined;
  let ok = 0;
  let tokens = 0;
  for (const i of inside) {
    if (!c.ok[i]) continue;
    ok += 1;
    tokens += c.outputTokens[i] as number;
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

function openLoop(c: Columns, window: Window): SteadyThroughput | undefined {
  let completions = 0;
  let tokens = 0;
  for (let i = 0; i < c.length; i++) {
    const end = c.endMs[i] as number;
    if (!c.ok[i] || end <= window.startMs || end > window.endMs) continue;
    completions += 1;
    tokens += c.outputTokens[i] as number;
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

function burst(c: Columns): SteadyThroughput | undefined {
  let firstEnd = Number.POSITIVE_INFINITY;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < c.length; i++) {
    firstEnd = Math.min(firstEnd, c.endMs[i] as number);
    lastEnd = Math.max(lastEnd, c.endMs[i] as number);
  }
  if (!(lastEnd > firstEnd)) return undefined;
  // The requests that ended with the first one (a batch) are its start, not completions inside it.
  return openLoop(c, { startMs: firstEnd, endMs: lastEnd });
}

/** The steady throughput of a variant's sent measured requests, or undefined when there is no steady part to measure. */
export function steadyThroughput(
  requests: SteadyColumns | readonly SteadyRequest[],
  load: TableLoad,
): SteadyThroughput | undefined {
  const c = (requests instanceof SteadyColumns ? requests : SteadyColumns.of(requests)).arrays();
  if (load.model === 'closed' && load.burst) return burst(c);
  const window = steadyWindow(c);
  if (!window) return undefined;
  return load.model === 'closed' ? closedLoop(c, window, load.concurrency) : openLoop(c, window);
}
