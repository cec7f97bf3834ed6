// One candidate setting, judged: each simulation (one per seed) becomes the records a client
// would have written (answers/sim-records.ts), the SLOs are checked on their summary in the
// thresholds' language (src/checks), and the cost is the billed worker time at the price
// given. Across seeds the figures are averaged. Then each SLO's margin: the prediction with
// the model's error around it (the calibration's replay error for that figure, or the
// pessimistic fit's) either clears the limit, or straddles it, or misses. Pure.
import type { ClientOverheads } from '../../core/calibration.js';
import type { ColdStartRule } from '../../core/cold-start-rule.js';
import type { Mode } from '../../core/record.js';
import type { SimResult } from '../../core/simulation.js';
import type { SloCheck, SloMargin, WhatIfCandidate, WhatIfPrice } from '../../core/what-if.js';
import { metricValue } from '../../checks/metrics.js';
import type { Threshold } from '../../checks/threshold-parse.js';
import { holds } from '../../checks/thresholds.js';
import { summarizeRecords } from '../../metrics/summarize.js';
import { recordsFromSim } from '../sim-records.js';

export interface EvaluationContext {
  mode: Mode;
  overheads: ClientOverheads;
  slo: readonly Threshold[];
  price: WhatIfPrice;
  coldRule: ColdStartRule;
}

/** What one simulation says about a candidate. */
export interface SeedFigures {
  /** Per SLO, in order: the predicted value. */
  values: Array<number | null>;
  ttftP95Ms: number | null;
  e2eP95Ms: number | null;
  coldStartShare: number;
  errorRate: number;
  cost: number;
  windowMs: number;
  outputTokens: number;
  workerMs: number;
}

const HOUR_MS = 3_600_000;

export function seedFigures(result: SimResult, ctx: EvaluationContext): SeedFigures {
  const records = recordsFromSim(result, { variant: 'what-if', mode: ctx.mode, overheads: ctx.overheads });
  const summary = summarizeRecords(records, [
    { name: 'what-if', params: {}, mode: ctx.mode, coldStartRule: ctx.coldRule, load: '' },
  ])[0];
  const b = result.billing;
  let cold = 0;
  let tokens = 0;
  for (const job of result.jobs) {
    if (job.coldStart) cold++;
    if (job.status === 'COMPLETED') tokens += job.outputTokens;
  }
  return {
    values: ctx.slo.map((t) => (summary ? metricValue(summary, t.metric) : null)),
    ttftP95Ms: summary?.metrics.ttftMs.p95 ?? null,
    e2eP95Ms: summary?.metrics.e2eMs.p95 ?? null,
    coldStartShare: result.jobs.length > 0 ? cold / result.jobs.length : 0,
    errorRate: summary?.counts.errorRate ?? 0,
    cost: (b.activeWorkerMs * ctx.price.activePerHour + b.flexWorkerMs * ctx.price.flexPerHour) / HOUR_MS,
    windowMs: result.windowMs,
    outputTokens: tokens,
    workerMs: b.activeWorkerMs + b.flexWorkerMs,
  };
}

function mean(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length === 0 ? null : known.reduce((s, v) => s + v, 0) / known.length;
}

/** Where a prediction stands against its limit once the relative error `e` is counted. */
export function marginOf(predicted: number | null, op: Threshold['op'], limit: number, e: number | null): SloMargin {
  if (predicted === null) return e === null ? 'missed-error-unknown' : 'missed';
  const met = holds(predicted, op, limit);
  if (e === null) return met ? 'met-error-unknown' : 'missed-error-unknown';
  if (op === '==') return met ? 'met' : 'missed';
  // The prediction moved by the error in the direction that hurts, and in the one that helps.
  const lowerIsBetter = op === '<' || op === '<=';
  const worse = lowerIsBetter ? predicted * (1 + e) : predicted * (1 - e);
  const better = lowerIsBetter ? predicted * (1 - e) : predicted * (1 + e);
  if (met) return holds(worse, op, limit) ? 'met' : 'met-within-error';
  return holds(better, op, limit) ? 'missed-within-error' : 'missed';
}

export function candidateOf(
  settings: Record<string, unknown>,
  figures: readonly SeedFigures[],
  ctx: EvaluationContext,
  errorFor: (metric: Threshold['metric']) => number | null,
): WhatIfCandidate {
  const windowMs = figures.reduce((s, f) => s + f.windowMs, 0);
  const cost = figures.reduce((s, f) => s + f.cost, 0);
  const tokens = figures.reduce((s, f) => s + f.outputTokens, 0);
  const workerMs = figures.reduce((s, f) => s + f.workerMs, 0);
  const slo: SloCheck[] = ctx.slo.map((t, i) => {
    const predicted = mean(figures.map((f) => f.values[i] ?? null));
    const errorShare = errorFor(t.metric);
    return {
      expression: t.text,
      metric: t.metric.name,
      op: t.op,
      limit: t.limit,
      predicted,
      errorShare,
      margin: marginOf(predicted, t.op, t.limit, errorShare),
    };
  });
  const meets = slo.every(
    (s) => s.margin === 'met' || s.margin === 'met-within-error' || s.margin === 'met-error-unknown',
  );
  return {
    settings,
    costPerHour: windowMs > 0 ? (cost / windowMs) * HOUR_MS : 0,
    costPerMillionTokens: tokens > 0 ? (cost / tokens) * 1e6 : null,
    workersBilled: windowMs > 0 ? workerMs / windowMs : 0,
    ttftP95Ms: mean(figures.map((f) => f.ttftP95Ms)),
    e2eP95Ms: mean(figures.map((f) => f.e2eP95Ms)),
    coldStartShare: mean(figures.map((f) => f.coldStartShare)) ?? 0,
    errorRate: mean(figures.map((f) => f.errorRate)) ?? 0,
    slo,
    meets,
    meetsWithMargin: meets && slo.every((s) => s.margin === 'met' || s.margin === 'met-error-unknown'),
  };
}
