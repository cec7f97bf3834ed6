// Baseline against current run: per variant and metric, the change, its 95% interval, the
// smallest change the pair could detect, and a verdict (the method: ./intervals.ts).
//
//   worse: the metric moved the bad way beyond its band, and the 95% interval of the change
//     excludes 0 (the change is not the runs' own noise); better: the same the good way;
//   same: within the band, or inside the noise;
//   n/a: one side has no number (e.g. no cold start in one run), or too few requests to tell
//     noise from change (a p99 of 72 requests); never a regression;
//   band only: a metric without per-request values (counts, min, max, per-chunk metrics) or a
//     file from an older podbench is judged by its band alone, as the reason says.
//
// Rows whose metric neither run measured are left out (and listed in a note). A warm metric
// of a variant without server timing (the OpenAI routes report no delayTime, so no request
// is known warm) falls back to the same metric over all requests, with a note.
import { UsageError } from '../core/errors.js';
import type { Estimate } from './confidence.js';
import { changeInterval, type Side } from './intervals.js';
import type { Comparison, ComparedSide, ComparisonRow } from './comparison.js';
import { lookupMetric, type MetricInfo } from './metrics.js';
import type { RunStats, StatsVariant } from './run-stats.js';
import { resolutionOf, sampleOf } from './samples.js';
import { changeText as fieldChangeText, diffMeasured } from './provenance.js';
import { bandFor, bandWidth, describeBand, type Band, type CompareSettings } from './tolerance.js';
import { fmtAmount, fmtChange } from './units.js';
import { detectableText } from './report.js';

export type { ComparedSide, Comparison, ComparisonRow, Verdict } from './comparison.js';

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
  if (allowScenarioChange) return;
  const recorded = baseline.variants.every((v) => v.effective) && current.variants.every((v) => v.effective);
  if (recorded) {
    refuseChangedWorkload(baseline, current, labels);
    return;
  }
  // Files from before run.json kept the effective scenario: the file's hash and the load in words.
  if (baseline.scenario.sha256 !== current.scenario.sha256) {
    throw new UsageError(
      `the scenario file "${current.scenario.name}" changed between ${labels.baseline} (sha256 ${baseline.scenario.sha256.slice(0, 12)}) and ${labels.current} (${current.scenario.sha256.slice(0, 12)}); pass --allow-scenario-change if the edit does not change what is measured`,
    );
  }
  // The same variant under another load (--concurrency 2 against a baseline at 8) differs by design, not by regression.
  for (const b of baseline.variants) {
    const c = current.variants.find((v) => v.name === b.name);
    if (b.load !== undefined && c?.load !== undefined && b.load !== c.load) {
      throw new UsageError(
        `variant "${b.name}" ran under another load: ${labels.baseline} "${b.load}", ${labels.current} "${c.load}"; run both with the same flags (or pass --allow-scenario-change to compare anyway)`,
      );
    }
  }
}

/** Both sides recorded what they measured: refuse when any of it differs, naming every field. */
function refuseChangedWorkload(
  baseline: RunStats,
  current: RunStats,
  labels: { baseline: string; current: string },
): void {
  const lines: string[] = [];
  for (const b of baseline.variants) {
    const c = current.variants.find((v) => v.name === b.name);
    if (!c?.effective || !b.effective) continue;
    const changes = diffMeasured(b.effective, c.effective);
    if (changes.length === 0) continue;
    const prefix = baseline.variants.length > 1 ? `variant "${b.name}": ` : '';
    lines.push(...changes.map((change) => `  ${prefix}${fieldChangeText(change)}`));
  }
  if (lines.length === 0) return;
  throw new UsageError(
    `${labels.current} measured something else than ${labels.baseline}; what differs (baseline → current):\n${lines.join('\n')}\nrun both with the same scenario and flags, or pass --allow-scenario-change to compare anyway`,
  );
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
    const shortOf: string[] = [];
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
      const band = settings.bands.get(wanted.name) ?? bandFor(settings, metric);
      const row = judge(bv, cv, metric, b, c, band);
      rows.push(row);
      if (b && row.detectable !== undefined && row.detectable > bandWidth(band, b.mean))
        shortOf.push(`${metric.name} (detects ${detectableText(row)}, band ${row.band})`);
    }
    // Power: a run too short to see a change of its band's size cannot vouch for it.
    if (shortOf.length > 0)
      notes.push(
        `${bv.name}: too few requests to vouch for the band of ${shortOf.join(', ')}; a change that size could pass unseen (docs/ci.md: how many requests a sensitivity costs)`,
      );
    // Only --allow-scenario-change lets different workloads this far: say what differed.
    const changes = bv.effective && cv.effective ? diffMeasured(bv.effective, cv.effective) : [];
    if (changes.length > 0)
      notes.push(
        `${bv.name}: compared although another workload was measured (--allow-scenario-change): ${changes.map(fieldChangeText).join('; ')}`,
      );
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

/** A side of the comparison for one metric: its estimate and, when the file kept them, each run's sample. */
function sideOf(variant: StatsVariant, metric: MetricInfo, estimate: Estimate): Side {
  if (!variant.requests) return { estimate };
  return { estimate, samples: variant.requests.map((table) => sampleOf(metric, table)) };
}

function sampleKindOf(variant: StatsVariant, metric: MetricInfo) {
  for (const table of variant.requests ?? []) {
    const sample = sampleOf(metric, table);
    if (sample) return sample.kind;
  }
  return undefined;
}

function judge(
  bv: StatsVariant,
  cv: StatsVariant,
  metric: MetricInfo,
  b: Estimate | undefined,
  c: Estimate | undefined,
  band: Band,
): ComparisonRow {
  const better = metric.better === 'higher' ? 'higher' : 'lower';
  const base = {
    variant: bv.name,
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
  const interval = changeInterval(
    metric,
    `${bv.name}\u0000${metric.name}`,
    sideOf(bv, metric, b),
    sideOf(cv, metric, c),
    sampleKindOf(bv, metric) ?? sampleKindOf(cv, metric),
  );
  if (interval.ok) {
    // A metric measured on a grid (stream-mode TTFT, on the polls') is known only to within
    // its resolution on each side: the true change lies up to that much either way.
    const rb = resolutionOf(metric, bv.requests ?? []);
    const rc = resolutionOf(metric, cv.requests ?? []);
    const changeCi: [number, number] = [interval.ci[0] - rc, interval.ci[1] + rb];
    const detectable = interval.detectable + Math.max(rb, rc);
    const { method } = interval;
    const [lo, hi] = better === 'lower' ? changeCi : [-changeCi[1], -changeCi[0]];
    const widened =
      rb > 0 || rc > 0
        ? ` (widened by the polls' resolution, ${fmtAmount(rb, metric.unit)} and ${fmtAmount(rc, metric.unit)})`
        : '';
    const ci = `95% interval of the change ${fmtChange(changeCi[0], metric.unit)} … ${fmtChange(changeCi[1], metric.unit)}${widened}`;
    const detectableRatio = b.mean !== 0 ? detectable / Math.abs(b.mean) : null;
    const row = { ...base, change, changeRatio, method, changeCi, detectable, detectableRatio } as const;
    if (lo > 0 && worseBy > width)
      return { ...row, verdict: 'worse', reason: `${ci} excludes 0, and the change is ${beyond}` };
    if (hi < 0 && -worseBy > width)
      return { ...row, verdict: 'better', reason: `${ci} excludes 0, and the change is ${beyond}` };
    const noise = lo <= 0 && hi >= 0;
    return { ...row, verdict: 'same', reason: noise ? `${ci} includes 0: noise` : `within the ${base.band} band` };
  }
  // Values the method cannot judge (too few requests): no verdict either way, and the reason why.
  if (interval.tooFew) {
    return {
      ...base,
      change,
      changeRatio,
      method: 'point',
      verdict: 'n/a',
      reason: `too few requests to tell a change from noise: ${interval.reason}`,
    };
  }
  const row = { ...base, change, changeRatio, method: 'point' } as const;
  const why = ` (band only: ${interval.reason})`;
  if (worseBy > width) return { ...row, verdict: 'worse', reason: `${beyond}${why}` };
  if (-worseBy > width) return { ...row, verdict: 'better', reason: `${beyond}${why}` };
  return { ...row, verdict: 'same', reason: `within the ${base.band} band${why}` };
}
