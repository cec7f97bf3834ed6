// What the live console shows while a variant runs, as pure data → text: a progress bar
// with ETA for bounded runs, measured ok / errors / in flight (warmup apart, aborted apart
// and not an error, as in the final table), rolling req/s, tokens/s and TTFT p50/p95 over
// the last RECENT_MS, and the workers /health reported. progress.ts feeds it and writes it.
import type { HealthSample } from '../core/health.js';
import type { RequestRecord } from '../core/record.js';
import { quantile, sortedSamples } from '../metrics/percentiles.js';
import { formatDurationMs } from '../util/duration.js';

/** Rolling figures cover this much of the recent past. */
export const RECENT_MS = 10_000;

/** What bounds the variant: measured requests, a duration, both or neither. */
export interface ProgressBounds {
  requests?: number;
  durationMs?: number;
}

export interface ProgressState {
  label: string;
  bounds: ProgressBounds;
  startMs: number;
  /** When the first measured request was sent (the duration bound counts from it). */
  measureStartMs?: number;
  sent: number;
  /** Records of requests that went out (not_sent excluded), every phase. */
  done: number;
  warmupDone: number;
  ok: number;
  errors: number;
  aborted: number;
  /** Recent successful requests: [endMs, outputTokens, ttftMs or NaN]. */
  recent: Array<[number, number, number]>;
  health?: HealthSample;
}

export function newProgressState(label: string, bounds: ProgressBounds, startMs: number): ProgressState {
  return { label, bounds, startMs, sent: 0, done: 0, warmupDone: 0, ok: 0, errors: 0, aborted: 0, recent: [] };
}

/** Counts a finished request the way the final table does. */
export function addRecord(state: ProgressState, record: RequestRecord): void {
  if (record.outcome === 'not_sent') return;
  state.done += 1;
  if (record.phase === 'warmup') {
    state.warmupDone += 1;
    return;
  }
  state.measureStartMs ??= record.sentMs ?? record.scheduledMs;
  if (record.outcome === 'ok') {
    state.ok += 1;
    const ttft =
      record.firstTokenMs !== undefined && record.sentMs !== undefined
        ? record.firstTokenMs - record.sentMs
        : Number.NaN;
    state.recent.push([record.endMs, record.outputTokens ?? 0, ttft]);
  } else if (record.outcome === 'aborted') state.aborted += 1;
  else state.errors += 1;
}

/** Share of the variant done, 0..1, when it is bounded (the nearer of its bounds). */
export function fractionDone(state: ProgressState, nowMs: number): number | undefined {
  const shares: number[] = [];
  const { requests, durationMs } = state.bounds;
  if (requests !== undefined && requests > 0) shares.push((state.ok + state.errors + state.aborted) / requests);
  if (durationMs !== undefined && durationMs > 0 && state.measureStartMs !== undefined)
    shares.push((nowMs - state.measureStartMs) / durationMs);
  if (shares.length === 0) return undefined;
  return Math.min(1, Math.max(0, ...shares));
}

function bar(fraction: number, width: number): string {
  const full = Math.round(fraction * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

function rate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The lines of the display at `nowMs` (one to four; the caller pads or prefixes them). */
export function progressLines(state: ProgressState, nowMs: number): string[] {
  const elapsed = nowMs - state.startMs;
  const fraction = fractionDone(state, nowMs);
  let head = `${state.label}  ${formatDurationMs(elapsed)}`;
  if (fraction !== undefined) {
    const sinceMeasure = state.measureStartMs === undefined ? 0 : nowMs - state.measureStartMs;
    const eta =
      fraction > 0.02 && fraction < 1 ? `  ETA ${formatDurationMs((sinceMeasure * (1 - fraction)) / fraction)}` : '';
    head += `  ${bar(fraction, 20)} ${Math.floor(fraction * 100)}%${eta}`;
  }
  const total = state.bounds.requests;
  const counts = [
    `ok ${state.ok}${total !== undefined ? `/${total}` : ''}`,
    `errors ${state.errors}`,
    ...(state.aborted > 0 ? [`aborted ${state.aborted}`] : []),
    `in flight ${Math.max(0, state.sent - state.done)}`,
    ...(state.warmupDone > 0 ? [`warmup ${state.warmupDone}`] : []),
  ].join('  ');
  const lines = [head, `  ${counts}`];
  const since = nowMs - RECENT_MS;
  while (state.recent.length > 0 && (state.recent[0] as [number, number, number])[0] < since) state.recent.shift();
  if (state.recent.length > 0) {
    const windowMs = Math.min(RECENT_MS, Math.max(1000, nowMs - (state.measureStartMs ?? state.startMs)));
    const tokens = state.recent.reduce((n, r) => n + r[1], 0);
    const ttfts = state.recent.map((r) => r[2]).filter((t) => Number.isFinite(t));
    const sorted = sortedSamples(ttfts);
    const ttft =
      sorted.length > 0
        ? `  TTFT p50 ${Math.round(quantile(sorted, 0.5) ?? 0)} ms p95 ${Math.round(quantile(sorted, 0.95) ?? 0)} ms`
        : '';
    lines.push(
      `  last ${formatDurationMs(windowMs)}: ${rate((state.recent.length * 1000) / windowMs)} req/s  ${rate((tokens * 1000) / windowMs)} tok/s${ttft}`,
    );
  }
  const workers = workersText(state.health);
  if (workers) lines.push(`  ${workers}`);
  return lines;
}

/** "workers: 1 running, 1 starting (cold)  queue 8", from the last /health sample. */
export function workersText(sample: HealthSample | undefined): string {
  if (!sample?.workers) return '';
  const w = sample.workers;
  const up = (w.running ?? 0) + (w.ready ?? 0);
  const parts = [
    up === 0 && (w.initializing ?? 0) === 0 ? '0 up (scaled to zero)' : `${up} up`,
    ...((w.initializing ?? 0) > 0 ? [`${w.initializing} starting`] : []),
    ...((w.throttled ?? 0) > 0 ? [`${w.throttled} throttled`] : []),
    ...((w.unhealthy ?? 0) > 0 ? [`${w.unhealthy} unhealthy`] : []),
  ];
  const jobs = sample.jobs ?? {};
  return `workers (/health): ${parts.join(', ')}  queue ${jobs.inQueue ?? 0}  in progress ${jobs.inProgress ?? 0}`;
}
