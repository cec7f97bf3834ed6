// Hand-made statistics for the comparison and renderer tests: each metric's per-run values.
import { estimate, type Estimate } from '../../src/checks/confidence.js';
import { STATS_FORMAT, STATS_FORMAT_VERSION, type RunStats } from '../../src/checks/run-stats.js';
import { SCHEMA_VERSION } from '../../src/core/summary.js';

export function makeStats(
  variants: Record<string, Record<string, number[]>>,
  overrides: Partial<Pick<RunStats, 'scenario' | 'schemaVersion'>> & { runs?: number } = {},
): RunStats {
  const runs =
    overrides.runs ?? Math.max(1, ...Object.values(variants).flatMap((m) => Object.values(m).map((v) => v.length)));
  return {
    format: STATS_FORMAT,
    formatVersion: STATS_FORMAT_VERSION,
    schemaVersion: overrides.schemaVersion ?? SCHEMA_VERSION,
    scenario: overrides.scenario ?? { name: 'nightly', sha256: 'a'.repeat(64) },
    runs: Array.from({ length: runs }, (_, i) => ({
      runId: `20261126-0${i}0000-nightly`,
      startedAt: `2026-11-26T0${i}:00:00.000Z`,
    })),
    variants: Object.entries(variants).map(([name, metrics]) => ({
      name,
      metrics: Object.fromEntries(Object.entries(metrics).map(([m, values]) => [m, estimate(values) as Estimate])),
    })),
  };
}

/** Baseline and current of a two-variant scenario, three runs each, with every kind of verdict. */
export function repeatPair(): { baseline: RunStats; current: RunStats } {
  const baseline = makeStats({
    'concurrency=1': {
      errorRate: [0, 0, 0],
      requestsPerSec: [2.1, 2.0, 2.2],
      outputTokensPerSec: [250, 245, 255],
      'warm.ok': [40, 40, 40],
      'warm.ttftMs.p50': [180, 190, 185],
      'warm.ttftMs.p95': [240, 260, 250],
      'warm.e2eMs.p50': [2100, 2150, 2120],
      'warm.e2eMs.p95': [2500, 2600, 2550],
      'warm.tpotMs.p50': [21, 21.5, 21.2],
      'warm.tpotMs.p95': [24, 25, 24.5],
      'coldStarts.share': [0.025, 0.025, 0.025],
      'coldStarts.delayMs.p50': [12000, 13500],
      'coldStarts.delayMs.p90': [12500, 14000],
    },
    'concurrency=4': {
      errorRate: [0, 0.025, 0],
      requestsPerSec: [7.5, 7.8, 7.6],
      outputTokensPerSec: [900, 920, 910],
      'warm.ok': [39, 38, 39],
      'warm.ttftMs.p50': [200, 320, 210],
      'warm.ttftMs.p95': [400, 420, 410],
      'warm.e2eMs.p50': [2300, 2350, 2320],
      'warm.e2eMs.p95': [2900, 2950, 2920],
      'warm.tpotMs.p50': [23, 23.4, 23.2],
      'warm.tpotMs.p95': [27, 27.5, 27.2],
      'coldStarts.share': [0.05, 0.05, 0.05],
    },
  });
  const current = makeStats({
    'concurrency=1': {
      errorRate: [0, 0, 0],
      requestsPerSec: [2.05, 2.15, 2.1],
      outputTokensPerSec: [248, 252, 251],
      'warm.ok': [40, 40, 40],
      'warm.ttftMs.p50': [150, 155, 152],
      'warm.ttftMs.p95': [230, 270, 255],
      'warm.e2eMs.p50': [2110, 2140, 2125],
      'warm.e2eMs.p95': [2520, 2580, 2560],
      'warm.tpotMs.p50': [21.1, 21.4, 21.3],
      'warm.tpotMs.p95': [24.2, 24.8, 24.6],
      'coldStarts.share': [0.025, 0.025, 0.025],
    },
    'concurrency=4': {
      errorRate: [0.05, 0.075, 0.05],
      requestsPerSec: [6.1, 6.0, 6.2],
      outputTokensPerSec: [700, 690, 710],
      'warm.ok': [38, 37, 38],
      'warm.ttftMs.p50': [330, 200, 340],
      'warm.ttftMs.p95': [610, 640, 620],
      'warm.e2eMs.p50': [2900, 2950, 2920],
      'warm.e2eMs.p95': [3600, 3700, 3650],
      'warm.tpotMs.p50': [29, 29.6, 29.2],
      'warm.tpotMs.p95': [33, 34, 33.5],
      'coldStarts.share': [0.05, 0.05, 0.05],
    },
  });
  return { baseline, current };
}
