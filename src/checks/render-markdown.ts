// Check results as GitHub-flavoured Markdown: a pull-request comment, or the Actions job
// summary ($GITHUB_STEP_SUMMARY). Tables first, the reasons for regressions under them.
import type { ComparisonRow } from './comparison.js';
import {
  changeText,
  checkFailures,
  detectableText,
  estimateText,
  headline,
  intervalText,
  limitText,
  measuredText,
  type CheckReport,
  nothingJudged,
} from './report.js';

/** Table cells: a pipe would end the cell, a newline the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${cell(text).replace(/`/g, "'")}\``;
}

const VERDICT: Record<ComparisonRow['verdict'], string> = {
  worse: '🔴 worse',
  better: '🟢 better',
  same: '⚪ same',
  'n/a': '➖ n/a',
};

export function renderMarkdown(report: CheckReport): string {
  const failed = checkFailures(report) > 0;
  const out: string[] = [
    `### ${failed ? '❌' : report.comparison && nothingJudged(report.comparison) ? '⚠️' : '✅'} podbench checks: ${cell(report.scenario)}`,
    '',
    `${cell(report.subject)}: ${headline(report)}.`,
  ];
  if (report.thresholds.length > 0) {
    out.push(
      '',
      '#### Thresholds',
      '',
      '| result | threshold | variant | measured | limit |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const t of report.thresholds) {
      const result =
        t.status === 'no-data'
          ? t.passed
            ? '✅ pass (no data)'
            : '❌ fail (no data)'
          : t.passed
            ? '✅ pass'
            : '❌ fail';
      out.push(
        `| ${result} | ${code(t.expression)} | ${cell(t.variant ?? 'all')} | ${cell(measuredText(t))} | ${cell(limitText(t))} |`,
      );
    }
  }
  const c = report.comparison;
  if (c) {
    const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
    out.push(
      '',
      '#### Compared with the baseline',
      '',
      `Baseline ${code(c.baseline.label)} (${runs(c.baseline.runs)}) → current ${code(c.current.label)} (${runs(c.current.runs)}). ` +
        'A change is a regression when it is beyond its band and its 95% interval excludes 0 (the runs’ own noise cannot fail the check); ' +
        '_detects_: the smallest change these runs could tell from noise (95% confidence, 80% power).',
      '',
      '| verdict | variant | metric | baseline | current | change | 95% interval | band | detects |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of c.rows) {
      out.push(
        `| ${VERDICT[r.verdict]} | ${cell(r.variant)} | ${code(r.metric)} | ${cell(estimateText(r.baseline, r.unit))} | ${cell(estimateText(r.current, r.unit))} | ${cell(changeText(r))} | ${cell(intervalText(r))} | ${cell(r.band)} | ${cell(detectableText(r))} |`,
      );
    }
    const worse = c.rows.filter((r) => r.verdict === 'worse');
    if (worse.length > 0)
      out.push('', '**Regressions**', '', ...worse.map((r) => `- ${cell(r.variant)} · ${code(r.metric)}: ${r.reason}`));
    // Why each row could not be judged: when nothing was, the ✅ above would vouch for nothing;
    // when some were not, a metric counted on would be left out without a word.
    const notJudged = c.rows.filter((r) => r.verdict === 'n/a');
    if (notJudged.length > 0)
      out.push(
        '',
        '**Not compared**',
        '',
        ...notJudged.map((r) => `- ${cell(r.variant)} · ${code(r.metric)}: ${r.reason}`),
      );
    if (c.notes.length > 0) out.push('', ...c.notes.map((n) => `> ${n}`));
  }
  return `${out.join('\n')}\n`;
}
