// What a check step produced: threshold results and/or a comparison with a baseline. The
// renderers (console, Markdown, JUnit XML, JSON) turn it into text; the commands decide
// where the text goes (stdout, files, $GITHUB_STEP_SUMMARY).
import type { ThresholdResult } from '../core/summary.js';
import type { Estimate } from './confidence.js';
import type { Comparison, ComparisonRow } from './comparison.js';
import { lookupMetric, type Unit } from './metrics.js';
import { fmtAmount, fmtChange, fmtNumber, fmtPercent, fmtValue } from './units.js';

export interface CheckReport {
  scenario: string;
  /** What was checked, as the user named it: a run folder, a summary.json... */
  subject: string;
  thresholds: ThresholdResult[];
  comparison?: Comparison;
}

export function thresholdFailures(report: CheckReport): number {
  return report.thresholds.filter((t) => !t.passed).length;
}

/** Failed thresholds plus regressions: any of them means exit code 1. */
export function checkFailures(report: CheckReport): number {
  return thresholdFailures(report) + (report.comparison?.regressions ?? 0);
}

export function unitOfMetric(name: string): Unit {
  return lookupMetric(name)?.unit ?? 'count';
}

/** "912 ms", or over repeats "912 ms (95% CI 880 ms … 944 ms, 3 runs)". */
export function measuredText(t: Pick<ThresholdResult, 'metric' | 'value' | 'note' | 'runs' | 'ci'>): string {
  const unit = unitOfMetric(t.metric);
  if (t.value === null) return t.note ?? 'no data';
  const value = fmtValue(t.value, unit);
  if (t.runs === undefined) return value;
  const ci = t.ci ? `95% CI ${fmtValue(t.ci[0], unit)} … ${fmtValue(t.ci[1], unit)}, ` : '';
  return `${value} (${ci}${t.runs} run${t.runs === 1 ? '' : 's'})`;
}

export function limitText(t: ThresholdResult): string {
  return `${t.op} ${fmtValue(t.limit, unitOfMetric(t.metric))}`;
}

/** "1 of 7 thresholds failed", "all 3 thresholds passed", "the threshold passed". */
export function thresholdVerdict(failed: number, total: number): string {
  if (total === 1) return failed > 0 ? 'the threshold failed' : 'the threshold passed';
  return failed > 0 ? `${failed} of ${total} thresholds failed` : `all ${total} thresholds passed`;
}

/** True when no row got a verdict: every one n/a (or none at all), so "no regression" would vouch for nothing. */
export function nothingJudged(c: Pick<Comparison, 'rows'>): boolean {
  return c.rows.every((r) => r.verdict === 'n/a');
}

/** A headline both the console and Markdown use. */
export function headline(report: CheckReport): string {
  const parts: string[] = [];
  if (report.thresholds.length > 0) {
    const failed = thresholdFailures(report);
    parts.push(thresholdVerdict(failed, report.thresholds.length));
  }
  const c = report.comparison;
  if (c) {
    const comparisons = `${c.rows.length} comparison${c.rows.length === 1 ? '' : 's'}`;
    // Rows marked n/a were not judged: "no regression in 12" would count them as checks passed.
    const unjudged = c.rows.filter((r) => r.verdict === 'n/a').length;
    const judged = c.rows.length - unjudged;
    const of = unjudged > 0 ? `${judged} of ${comparisons} (${unjudged} could not be judged)` : comparisons;
    parts.push(
      c.regressions > 0
        ? `${c.regressions} regression${c.regressions > 1 ? 's' : ''} in ${of}`
        : nothingJudged(c)
          ? `nothing could be compared: ${c.rows.length === 0 ? 'no metric in common' : `${c.rows.length === 1 ? 'the comparison is' : `all ${comparisons} are`} n/a`}`
          : `no regression in ${of}`,
    );
  }
  return parts.length > 0 ? parts.join('; ') : 'no thresholds and no baseline to check';
}

/** "412 ms", or over repeats "412 ms ±12 ms" (half the 95% interval). */
export function estimateText(e: Estimate | null, unit: ComparisonRow['unit']): string {
  if (!e) return '–';
  const mean = fmtValue(e.mean, unit);
  return e.ci ? `${mean} ±${fmtAmount((e.ci[1] - e.ci[0]) / 2, unit, e.mean)}` : mean;
}

export function changeText(row: ComparisonRow): string {
  if (row.change === null) return '–';
  // A share's change reads best in percentage points alone ("+2 pp", not "+2 pp (+400%)").
  if (row.changeRatio === null || row.unit === 'share') return fmtChange(row.change, row.unit);
  return `${fmtChange(row.change, row.unit)} (${fmtPercent(row.changeRatio)})`;
}

/** "+12 ms … +80 ms": the 95% interval of the change, "–" when the row has none. */
export function intervalText(row: ComparisonRow): string {
  if (!row.changeCi) return '–';
  return `${fmtChange(row.changeCi[0], row.unit)} … ${fmtChange(row.changeCi[1], row.unit)}`;
}

/** "±12%" (the amount for shares, or when the baseline is 0): the smallest change the runs could detect. */
export function detectableText(row: ComparisonRow): string {
  if (row.detectable === undefined) return '–';
  if (row.detectableRatio === null || row.detectableRatio === undefined || row.unit === 'share')
    return `±${fmtAmount(row.detectable, row.unit)}`;
  return `±${fmtNumber(row.detectableRatio * 100, 1)}%`;
}

export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
