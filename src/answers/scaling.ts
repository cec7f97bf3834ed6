// Scale-from-zero and scale-out, as the endpoint's /health reported it through the run.
// Pure: takes the samples of one variant (health.ndjson lines) and the time load began.
//
// A worker "serves" when /health counts it ready or running; timings are from the first
// request's send to the first sample showing the new count, so they carry the sampling
// interval as their resolution (stated with them).
import type { HealthSample } from '../core/health.js';

/** What the scaling facts read of a sample (one variant's, so the variant is not needed). */
export type HealthPoint = Pick<HealthSample, 'tMs' | 'workers' | 'jobs'>;

export interface ScalingFacts {
  /** The most workers seen serving at once. */
  maxServing: number;
  /** Serving workers in the first sample (0: the endpoint started from zero). */
  initialServing: number;
  /** From the first request to the first sample with a serving worker, when it started from zero. */
  timeToFirstWorkerMs: number | null;
  /** From the first request to the first sample with maxServing workers. */
  timeToMaxWorkersMs: number | null;
  /** Median gap between samples: the resolution of the two times above. */
  resolutionMs: number | null;
  /** Every change of the serving count, in order. */
  changes: Array<{ tMs: number; serving: number }>;
}

export function servingWorkers(point: HealthPoint): number | undefined {
  if (!point.workers) return undefined;
  return (point.workers.ready ?? 0) + (point.workers.running ?? 0);
}

export function scalingFacts(samples: readonly HealthPoint[], loadStartMs: number): ScalingFacts | undefined {
  const points = samples
    .map((s) => ({ tMs: s.tMs, serving: servingWorkers(s) }))
    .filter((p): p is { tMs: number; serving: number } => p.serving !== undefined)
    .sort((a, b) => a.tMs - b.tMs);
  if (points.length === 0) return undefined;
  const changes: ScalingFacts['changes'] = [];
  let last: number | undefined;
  for (const p of points) {
    if (p.serving !== last) changes.push({ tMs: p.tMs, serving: p.serving });
    last = p.serving;
  }
  const maxServing = Math.max(...points.map((p) => p.serving));
  const initialServing = (points[0] as { serving: number }).serving;
  const after = points.filter((p) => p.tMs >= loadStartMs);
  const firstServing = initialServing === 0 ? after.find((p) => p.serving > 0) : undefined;
  const firstMax = maxServing > 0 ? after.find((p) => p.serving >= maxServing) : undefined;
  const gaps = points
    .slice(1)
    .map((p, i) => p.tMs - (points[i] as { tMs: number }).tMs)
    .sort((a, b) => a - b);
  return {
    maxServing,
    initialServing,
    timeToFirstWorkerMs: firstServing ? firstServing.tMs - loadStartMs : null,
    timeToMaxWorkersMs: firstMax ? firstMax.tMs - loadStartMs : null,
    resolutionMs: gaps.length > 0 ? (gaps[Math.floor(gaps.length / 2)] as number) : null,
    changes,
  };
}
