// Check results for a terminal: aligned plain-text columns, no colour (CI logs keep it).
import type { ThresholdResult } from '../core/summary.js';
import {
  changeText,
  detectableText,
  estimateText,
  headline,
  intervalText,
  measuredText,
  type CheckReport,
} from './report.js';

function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The per-run lines `podbench run` prints under its table. */
export function thresholdLines(results: readonly ThresholdResult[]): string {
  const rows = results.map((t) => [t.passed ? 'pass' : 'FAIL', t.expression, t.variant ?? '', measuredText(t)]);
  return table(['result', 'threshold', 'variant', 'measured'], rows, new Set()).join('\n');
}

/** `thresholds: false` leaves their table out (podbench run printed it under each run's). */
export function renderConsole(report: CheckReport, options: { thresholds?: boolean } = {}): string {
  const out: string[] = [`checks: ${report.scenario}: ${headline(report)}`];
  if (report.thresholds.length > 0 && options.thresholds !== false)
    out.push('', ...thresholdLines(report.thresholds).split('\n'));
  const c = report.comparison;
  if (c) {
    out.push(
      '',
      `baseline ${c.baseline.label} (${runs(c.baseline.runs)}) -> current ${c.current.label} (${runs(c.current.runs)})`,
    );
    const rows = c.rows.map((r) => [
      r.verdict === 'worse' ? 'WORSE' : r.verdict,
      r.variant,
      r.metric,
      estimateText(r.baseline, r.unit),
      estimateText(r.current, r.unit),
      changeText(r),
      intervalText(r),
      r.band,
      detectableText(r),
    ]);
    out.push(
      ...table(
        ['verdict', 'variant', 'metric', 'baseline', 'current', 'change', '95% interval', 'band', 'detects'],
        rows,
        new Set([3, 4, 5, 6, 8]),
      ),
      'worse: beyond the band and the 95% interval clear of 0; detects: the smallest change these runs could detect (95% confidence, 80% power)',
    );
    const worse = c.rows.filter((r) => r.verdict === 'worse');
    if (worse.length > 0) out.push('', ...worse.map((r) => `worse: ${r.variant}: ${r.metric}: ${r.reason}`));
    // Say why each row could not be judged (too few values, say): when nothing was, or "no
    // regression" would vouch for nothing; and when some were not, or a metric the user counts
    // on (the cold-start delay of a run with 8 cold starts) is left out without a word.
    const notJudged = c.rows.filter((r) => r.verdict === 'n/a');
    if (notJudged.length > 0) out.push('', ...notJudged.map((r) => `n/a: ${r.variant}: ${r.metric}: ${r.reason}`));
    if (c.notes.length > 0) out.push('', ...c.notes.map((n) => `note: ${n}`));
  }
  return `${out.join('\n')}\n`;
}

function runs(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}
