// Hand-made statistics for the comparison and renderer tests: each metric's per-run values
// (files without request tables, as older podbench wrote them), and synthetic runs derived
// the way `run` derives them, with their request tables.
import { estimate, type Estimate } from '../../src/checks/confidence.js';
import { STATS_FORMAT, STATS_FORMAT_VERSION, runStats, type RunStats } from '../../src/checks/run-stats.js';
import type { RequestRecord } from '../../src/core/record.js';
import { SCHEMA_VERSION, type RunMeta, type RunSummary } from '../../src/core/summary.js';
import { deriveRun } from '../../src/derive/derive-run.js';
import type { RequestTable } from '../../src/metrics/request-table.js';
import { createRng } from '../../src/util/rng.js';

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

/** A synthetic streamed run on one warm worker: a closed loop of `concurrency` users, seeded. */
export interface SyntheticRun {
  seed: number;
  requests: number;
  concurrency?: number;
  /** Median end-to-end latency (ms) and its log-normal spread. */
  e2eMs: number;
  sigma?: number;
  /** Share of requests that fail. */
  errorRate?: number;
  /** Output tokens per request. */
  tokens?: number;
  /** Stream polls this far apart: TTFT lands on their grid, known to within one interval. */
  pollMs?: number;
  /** TTFT as a share of the end-to-end latency (default 0.2). */
  ttftShare?: number;
}

/** The records of a synthetic run: every request warm (server timing, one worker that never idles). */
export function syntheticRecords(run: SyntheticRun): RequestRecord[] {
  const rng = createRng(run.seed);
  const users = run.concurrency ?? 4;
  const tokens = run.tokens ?? 32;
  const free = new Float64Array(users);
  const records: RequestRecord[] = [];
  for (let seq = 0; seq < run.requests; seq++) {
    let u = 0;
    for (let j = 1; j < users; j++) if ((free[j] as number) < (free[u] as number)) u = j;
    const scheduledMs = free[u] as number;
    const e2e = rng.lognormal(run.e2eMs, run.sigma ?? 0.15);
    const endMs = scheduledMs + e2e;
    free[u] = endMs;
    const failed = rng.chance(run.errorRate ?? 0);
    const raw = e2e * (run.ttftShare ?? 0.2);
    const ttft = run.pollMs ? Math.ceil(raw / run.pollMs) * run.pollMs : raw;
    records.push({
      seq,
      variant: 'default',
      phase: 'measure',
      mode: 'stream',
      outcome: failed ? 'job_failed' : 'ok',
      scheduledMs,
      sentMs: scheduledMs,
      endMs,
      tokenSource: 'usage',
      polls: 3,
      retries: 0,
      workerId: 'w1',
      delayMs: 5,
      executionMs: e2e - 20,
      ...(failed
        ? { error: 'failed' }
        : {
            firstTokenMs: scheduledMs + ttft,
            ...(run.pollMs ? { ttftUncertaintyMs: run.pollMs } : {}),
            lastTokenMs: endMs - 1,
            outputTokens: tokens,
            promptTokens: 100,
            chunks: [
              [scheduledMs + ttft, 1],
              [endMs - 1, tokens - 1],
            ] as Array<[number, number]>,
          }),
    });
  }
  return records;
}

export function syntheticMeta(concurrency = 4): RunMeta {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: 'synthetic',
    podbenchVersion: '0.0.0',
    scenario: { name: 'nightly', description: '', file: 'nightly.yaml', sha256: 'a'.repeat(64), text: '' },
    target: { kind: 'emulator', host: '127.0.0.1', endpointId: 'local' },
    engine: 'native',
    seed: 1,
    startedAt: '2026-11-26T00:00:00.000Z',
    startedEpochMs: 0,
    prompts: '',
    variants: [
      {
        name: 'default',
        params: {},
        mode: 'stream',
        coldStartRule: { thresholdMs: 1000, idleGapMs: 1e9 },
        load: `closed loop, concurrency ${concurrency}`,
        effective: { mode: 'stream', load: { concurrency, requests: 1 } },
      },
    ],
  };
}

/** Statistics of synthetic runs (one per spec), with their request tables, as `run` would make them. */
export async function syntheticStats(runs: readonly SyntheticRun[]): Promise<RunStats> {
  const summaries: RunSummary[] = [];
  const tables: Array<Record<string, RequestTable>> = [];
  for (const run of runs) {
    const derived = await deriveRun(syntheticMeta(run.concurrency), syntheticRecords(run), []);
    summaries.push(derived.summary);
    tables.push(derived.tables);
  }
  return runStats(summaries, tables);
}
