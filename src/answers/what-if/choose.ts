// The answer: the cheapest candidate whose predicted figures meet the SLOs. When it meets
// them only within the model's error it is flagged, and the cheapest that clears them with
// the error to spare is named beside it; when nothing meets them, the one that came closest. And the model's error for each SLO figure, from
// the calibration's replay check. Pure.
import type { ReplayCheck, ReplayRow } from '../../core/calibration.js';
import type { WhatIfCandidate } from '../../core/what-if.js';
import type { MetricInfo } from '../../checks/metrics.js';

const TAIL_STATS = new Set(['p90', 'p95', 'p99', 'max']);

/**
 * The replay's relative error for a figure: the same figure when the replay has it, the
 * same quantity at the nearest statistic (p50 for the middle, p95 for the tail), throughput
 * for throughput; for anything else, the worst latency error the replay saw. Null: no replay.
 */
export function replayErrorFor(replay: ReplayCheck | undefined, metric: MetricInfo): number | null {
  if (!replay) return null;
  const rows = new Map<string, ReplayRow>(replay.rows.map((r) => [r.metric, r]));
  const abs = (row: ReplayRow | undefined): number | null =>
    row?.relativeError === null || row === undefined ? null : Math.abs(row.relativeError);
  const base = metric.base;
  if (metric.population === 'all' && metric.stat !== undefined) {
    const exact = abs(rows.get(`${base}.${metric.stat}`));
    if (exact !== null) return exact;
    const nearest = abs(rows.get(`${base}.${TAIL_STATS.has(metric.stat) ? 'p95' : 'p50'}`));
    if (nearest !== null) return nearest;
  }
  if (base === 'outputTokensPerSec' || base === 'requestsPerSec' || base === 'totalTokensPerSec') {
    const tput = abs(rows.get('outputTokensPerSec'));
    if (tput !== null) return tput;
  }
  let worst: number | null = null;
  for (const row of replay.rows) {
    if (row.metric === 'outputTokensPerSec') continue;
    const e = abs(row);
    if (e !== null) worst = Math.max(worst ?? 0, e);
  }
  return worst;
}

export interface Choice {
  /** The cheapest candidate whose predicted figures meet the SLOs. */
  recommended: WhatIfCandidate | null;
  /** When the recommended one meets them only within the model's error: the cheapest that clears them with the error to spare. */
  safer: WhatIfCandidate | null;
  /** When nothing meets the SLOs: the candidate that missed them by least. */
  closest: WhatIfCandidate | null;
  meeting: number;
}

export function byCost(a: WhatIfCandidate, b: WhatIfCandidate): number {
  return a.costPerHour - b.costPerHour || a.workersBilled - b.workersBilled;
}

/** How far a candidate misses its SLOs: the sum of relative excesses (0 when it meets them). */
function shortfall(c: WhatIfCandidate): number {
  let total = 0;
  for (const s of c.slo) {
    if (s.predicted === null) {
      total += 10;
      continue;
    }
    const lowerIsBetter = s.op === '<' || s.op === '<=';
    const scale = Math.max(Math.abs(s.limit), 1e-9);
    total += Math.max(0, lowerIsBetter ? (s.predicted - s.limit) / scale : (s.limit - s.predicted) / scale);
  }
  return total;
}

export function choose(candidates: readonly WhatIfCandidate[]): Choice {
  const sorted = [...candidates].sort(byCost);
  const recommended = sorted.find((c) => c.meets) ?? null;
  const safer =
    recommended !== null && !recommended.meetsWithMargin ? (sorted.find((c) => c.meetsWithMargin) ?? null) : null;
  const meeting = sorted.filter((c) => c.meets).length;
  let closest: WhatIfCandidate | null = null;
  if (recommended === null)
    for (const c of sorted) if (closest === null || shortfall(c) < shortfall(closest)) closest = c;
  return { recommended, safer, closest, meeting };
}
