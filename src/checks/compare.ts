// Baseline against current run: per variant and metric, the change and a verdict.
//
//   point rule (either side from a single run): worse when the mean moved the bad way by
//     more than the metric's band, better when it moved the good way by more, else same;
//   interval rule (both sides from two runs or more): additionally, the 95% interval of the
//     change (Welch) must exclude zero, so noise between runs alone never fails a build.
//   n/a: one side has no number (e.g. no cold start in one run); never a regression.
//
// Rows whose metric neither run measured are left out (and listed in a note). A warm metric
// of a variant without server timing (the OpenAI routes report no delayTime, so no request
// is known warm) falls back to the same metric over all requests, with a note.
import { UsageError } from '../core/errors.js';
import { differenceInterval, hasInterval, type Estimate } from './confidence.js';
import { lookupMetric, type MetricInfo, type Population, type Unit } from './metrics.js';
import type { RunStats } from './run-stats.js';
import { bandFor, bandWidth, describeBand, type Band, type CompareSettings } from './tolerance.js';
import { fmtAmount, fmtChange } from './units.js';

export type Verdict = 'better' | 'same' | 'worse' | 'n/a';

export interface ComparisonRow {
  variant: string;
  group: Population;
  metric: string;
  unit: Unit;
  better: 'lower' | 'higher';
  baseline: Estimate | null;
  current: Estimate | null;
  /** current − baseline (means). */
  change: number | null;
  /** change / |baseline|, null when the baseline is 0. */
  changeRatio: number | null;
  band: string;
  method: 'point' | 'interval';
  /** Interval rule: 95% interval of the change. */
  changeCi?: [number, number];
  verdict: Verdict;
  reason: string;
}

export interface ComparedSide {
  /** As the user named it: a file or folder path. */
  label: string;
  runs: number;
  runIds: string[];
}

export interface Comparison {
  scenario: string;
  baseline: ComparedSide;
  current: ComparedSide;
  rows: ComparisonRow[];
  notes: string[];
  regressions: number;
}

/** Inputs that cannot be compared end the command with exit 2, saying what differs. */
export function checkComparable(
  baseline: RunStats,
  current: RunStats,
  labels: { baseline: string; current: string },
  allowScenarioChange = false,
): void {
  if (baseline.schemaVersion !== current.schemaVersion) {
    throw new UsageError(
      `${labels.baseline} has schemaVersion ${baseline.schemaVersion}, ${labels.current} has ${current.schemaVersion}: their numbers do not mean the same; record a new baseline with this podbench`,
    );
  }
  if (baseline.scenario.name !== current.scenario.name) {
    throw new UsageError(
      `${labels.baseline} is scenario "${baseline.scenario.name}", ${labels.current} is scenario "${current.scenario.name}": compare runs of the same scenario`,
    );
  }
  if (baseline.scenario.sha256 !== current.scenario.sha256 && !allowScenarioChange) {
    throw new UsageError(
      `the scenario file "${current.scenario.name}" changed between ${labels.baseline} (sha256 ${baseline.scenario.sha256.slice(0, 12)}) and ${labels.current} (${current.scenario.sha256.slice(0, 12)}); pass --allow-scenario-change if the edit does not change what is measured`,
    );
  }
  const names = (s: RunStats) => s.variants.map((v) => v.name);
  const missing = names(baseline).filter((n) => !names(current).includes(n));
  const extra = names(current).filter((n) => !names(baseline).includes(n));
  if (missing.length > 0 || extra.length > 0) {
    const list = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ');
    const parts = [
      missing.length > 0
        ? `${labels.current} lacks variant${missing.length > 1 ? 's' : ''} ${list(missing)} of the baseline`
        : '',
      extra.length > 0
        ? `${labels.current} has variant${extra.length > 1 ? 's' : ''} ${list(extra)} the baseline lacks`
        : '',
    ].filter(Boolean);
    throw new UsageError(
      `variants differ: ${parts.join('; ')} (a flag such as --concurrency replaces a matrix; run both with the same flags)`,
    );
  }
  // The same variant under another load (--concurrency 2 against a baseline at 8) differs by design, not by regression.
  if (!allowScenarioChange) {
    for (const b of baseline.variants) {
      const c = current.variants.find((v) => v.name === b.name);
      if (b.load !== undefined && c?.load !== undefined && b.load !== c.load) {
        throw new UsageError(
          `variant "${b.name}" ran under another load: ${labels.baseline} "${b.load}", ${labels.current} "${c.load}"; run both with the same flags (or pass --allow-scenario-change to compare anyway)`,
        );
      }
    }
  }
}

/** Warm metric without warm requests on either side → the metric over all requests. */
function effectiveMetric(metric: MetricInfo, b: Record<string, Estimate>, c: Record<string, Estimate>): MetricInfo {
  if (metric.population !== 'warm' || b[metric.name] || c[metric.name]) return metric;
  const noWarm = (m: Record<string, Estimate>) => (m['warm.ok']?.mean ?? 0) === 0;
  if (!noWarm(b) || !noWarm(c)) return metric;
  return lookupMetric(metric.name.replace(/^warm\./, '')) ?? metric;
}

export function compareStats(
  baseline: RunStats,
  current: RunStats,
  settings: CompareSettings,
  labels: { baseline: string; current: string },
): Comparison {
  const rows: ComparisonRow[] = [];
  const notes: string[] = [];
  for (const bv of baseline.variants) {
    const cv = current.variants.find((v) => v.name === bv.name);
    if (!cv) continue;
    const empty: string[] = [];
    let fellBack = false;
    for (const wanted of settings.metrics) {
      const metric = effectiveMetric(wanted, bv.metrics, cv.metrics);
      fellBack ||= metric !== wanted;
      const b = bv.metrics[metric.name];
      const c = cv.metrics[metric.name];
      if (!b && !c) {
        empty.push(metric.name);
        continue;
      }
      // A band the user gave the metric asked for holds for its fallback too.
      rows.push(judge(bv.name, metric, b, c, settings.bands.get(wanted.name) ?? bandFor(settings, metric)));
    }
    if (fellBack)
      notes.push(
        `${bv.name}: no request is known warm (every one was a cold start, or the server reported no delayTime); warm metrics are compared over all requests`,
      );
    if (empty.length > 0) notes.push(`${bv.name}: neither run measured ${empty.join(', ')}`);
  }
  const side = (label: string, stats: RunStats): ComparedSide => ({
    label,
    runs: stats.runs.length,
    runIds: stats.runs.map((r) => r.runId),
  });
  return {
    scenario: current.scenario.name,
    baseline: side(labels.baseline, baseline),
    current: side(labels.current, current),
    rows,
    notes,
    regressions: rows.filter((r) => r.verdict === 'worse').length,
  };
}

function judge(
  variant: string,
  metric: MetricInfo,
  b: Estimate | undefined,
  c: Estimate | undefined,
  band: Band,
): ComparisonRow {
  const better = metric.better === 'higher' ? 'higher' : 'lower';
  const base = {
    variant,
    group: metric.population,
    metric: metric.name,
    unit: metric.unit,
    better,
    baseline: b ?? null,
    current: c ?? null,
    band: describeBand(band, metric),
  } as const;
  if (!b || !c) {
    return {
      ...base,
      change: null,
      changeRatio: null,
      method: 'point',
      verdict: 'n/a',
      reason: `no data in the ${!b ? 'baseline' : 'current run'}`,
    };
  }
  const change = c.mean - b.mean;
  const changeRatio = b.mean !== 0 ? change / Math.abs(b.mean) : null;
  const width = bandWidth(band, b.mean);
  // Positive when the metric moved the bad way.
  const worseBy = better === 'lower' ? change : -change;
  // A relative band's width depends on the baseline: say what it came to.
  const beyond = `beyond the ${base.band} band${band.relative !== undefined ? ` (${fmtAmount(width, metric.unit)})` : ''}`;
  if (hasInterval(b) && hasInterval(c)) {
    const changeCi = differenceInterval(b, c);
    const [lo, hi] = better === 'lower' ? changeCi : [-changeCi[1], -changeCi[0]];
    const ci = `95% interval of the change ${fmtChange(changeCi[0], metric.unit)} … ${fmtChange(changeCi[1], metric.unit)}`;
    const row = { ...base, change, changeRatio, method: 'interval', changeCi } as const;
    if (lo > 0 && worseBy > width)
      return { ...row, verdict: 'worse', reason: `${ci} excludes 0, and the change is ${beyond}` };
    if (hi < 0 && -worseBy > width)
      return { ...row, verdict: 'better', reason: `${ci} excludes 0, and the change is ${beyond}` };
    const noise = lo <= 0 && hi >= 0;
    return { ...row, verdict: 'same', reason: noise ? `${ci} includes 0: noise` : `within the ${base.band} band` };
  }
  const row = { ...base, change, changeRatio, method: 'point' } as const;
  const single =
    b.n >= 2 || c.n >= 2 ? ` (no interval: the ${b.n < 2 ? 'baseline' : 'current run'} is a single run)` : '';
  if (worseBy > width) return { ...row, verdict: 'worse', reason: `${beyond}${single}` };
  if (-worseBy > width) return { ...row, verdict: 'better', reason: `${beyond}${single}` };
  return { ...row, verdict: 'same', reason: `within the ${base.band} band${single}` };
}
