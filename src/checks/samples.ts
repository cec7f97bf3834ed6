// What a compared metric is computed from, per run: the per-request values behind a
// percentile or a mean, the successes and trials behind a share, or the requests' units and
// slots behind a throughput. Pure: a request table (src/metrics/request-table.ts) in, the
// sample out; undefined for metrics that have no per-request sample (counts, min and max,
// the pooled per-chunk metrics), which are then compared by their band alone.
import {
  CLASS_COLD,
  CLASS_UNTIMED,
  CLASS_WARM,
  OUTCOME_ABORTED,
  OUTCOME_FAILED,
  OUTCOME_OK,
  TABLE_COLUMNS,
  type RequestTable,
  type TableColumn,
  type TableLoad,
} from '../metrics/request-table.js';
import { quantile } from '../metrics/percentiles.js';
import type { MetricInfo } from './metrics.js';

/** A statistic of per-request values: the mean, or a type-7 percentile p in (0, 1). */
export type Statistic = { kind: 'mean' } | { kind: 'quantile'; p: number };

export type Sample =
  | { kind: 'values'; statistic: Statistic; values: Float64Array; total: number }
  | { kind: 'share'; successes: number; trials: number }
  | {
      kind: 'throughput';
      /** Per row: what the rate counts (1 per ok request, or its tokens). */
      units: Float64Array;
      slotMs: Float64Array;
      scheduledMs: Float64Array;
      load: TableLoad;
      total: number;
    };

const PERCENTILE = /^p(\d+)$/;

function statisticOf(stat: string | undefined): Statistic | undefined {
  if (stat === 'mean') return { kind: 'mean' };
  const match = stat === undefined ? null : PERCENTILE.exec(stat);
  return match ? { kind: 'quantile', p: Number(match[1]) / 100 } : undefined;
}

function classWanted(population: MetricInfo['population']): number | undefined {
  return population === 'warm' ? CLASS_WARM : population === 'cold' ? CLASS_COLD : undefined;
}

/** Rows the table holds of `total` requests: counts found in the rows scale up to the whole run. */
function scale(table: RequestTable): number {
  return table.outcome.length > 0 ? table.total / table.outcome.length : 1;
}

function pick(values: ReadonlyArray<number | null>, keep: (i: number) => boolean): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && keep(i)) out.push(v);
  }
  return Float64Array.from(out);
}

function share(table: RequestTable, success: (i: number) => boolean, trial: (i: number) => boolean): Sample {
  let successes = 0;
  let trials = 0;
  for (let i = 0; i < table.outcome.length; i++) {
    if (!trial(i)) continue;
    trials += 1;
    if (success(i)) successes += 1;
  }
  const k = scale(table);
  return { kind: 'share', successes: Math.round(successes * k), trials: Math.round(trials * k) };
}

function throughput(table: RequestTable, unit: (i: number) => number): Sample {
  const n = table.outcome.length;
  const units = new Float64Array(n);
  for (let i = 0; i < n; i++) units[i] = table.outcome[i] === OUTCOME_OK ? unit(i) : 0;
  return {
    kind: 'throughput',
    units,
    slotMs: Float64Array.from(table.slotMs),
    scheduledMs: Float64Array.from(table.scheduledMs),
    load: table.load,
    total: table.total,
  };
}

/** The sample behind a metric in one run's table; undefined when the metric has none. */
export function sampleOf(metric: MetricInfo, table: RequestTable): Sample | undefined {
  const cls = table.class;
  const column = (name: TableColumn) => table.columns[name] ?? [];
  // Goodput's rows: only a table written with the run's per-request SLOs has them.
  const met = table.sloMet;
  switch (metric.name) {
    case 'errorRate':
      return share(
        table,
        (i) => table.outcome[i] === OUTCOME_FAILED,
        (i) => table.outcome[i] !== OUTCOME_ABORTED,
      );
    case 'coldStarts.share':
      return share(
        table,
        (i) => cls[i] === CLASS_COLD,
        (i) => cls[i] !== CLASS_UNTIMED,
      );
    case 'sendLag.lateOver1msShare':
      return share(
        table,
        (i) => (column('sendLagMs')[i] ?? 0) > 1,
        () => true,
      );
    case 'goodput.requestsPerSec':
      return met ? throughput(table, (i) => met[i] as number) : undefined;
    case 'goodput.outputTokensPerSec':
      return met ? throughput(table, (i) => (met[i] ? (column('outputTokens')[i] ?? 0) : 0)) : undefined;
    case 'goodput.share':
      return met
        ? share(
            table,
            (i) => met[i] === 1,
            (i) => table.outcome[i] !== OUTCOME_ABORTED,
          )
        : undefined;
    case 'requestsPerSec':
      return throughput(table, () => 1);
    case 'outputTokensPerSec':
      return throughput(table, (i) => column('outputTokens')[i] ?? 0);
    case 'totalTokensPerSec':
      return throughput(table, (i) => (column('outputTokens')[i] ?? 0) + (column('promptTokens')[i] ?? 0));
  }
  const statistic = statisticOf(metric.stat);
  if (!statistic) return undefined;
  const wanted = classWanted(metric.population);
  if (metric.base === 'coldStarts.delayMs') {
    const values = pick(table.pickupDelayMs, (i) => cls[i] === wanted);
    return { kind: 'values', statistic, values, total: Math.round(values.length * scale(table)) };
  }
  if (!(TABLE_COLUMNS as readonly string[]).includes(metric.base)) return undefined;
  const values = pick(column(metric.base as TableColumn), (i) => wanted === undefined || cls[i] === wanted);
  return { kind: 'values', statistic, values, total: Math.round(values.length * scale(table)) };
}

/**
 * How finely a run measured the metric, when its records say: a stream-mode TTFT is known only
 * to within ttftUncertaintyMs (the first token arrived between the last empty poll and the
 * poll that brought it), so its percentiles sit on the polls' grid and can jump a whole poll
 * interval between two runs of the same endpoint. The median uncertainty of the requests the
 * metric is over; 0 for metrics measured to the clock (and for the SSE routes).
 */
export function resolutionOf(metric: MetricInfo, tables: readonly RequestTable[]): number {
  if (metric.base !== 'ttftMs') return 0;
  const wanted = classWanted(metric.population);
  const values: number[] = [];
  for (const table of tables) {
    const ttft = table.columns.ttftMs ?? [];
    const uncertainty = table.columns.ttftUncertaintyMs ?? [];
    for (let i = 0; i < ttft.length; i++) {
      const u = uncertainty[i];
      if (ttft[i] === null || u === null || u === undefined) continue;
      if (wanted !== undefined && table.class[i] !== wanted) continue;
      values.push(u);
    }
  }
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  return quantile(values, 0.5) ?? 0;
}
