// What fills the page's verdict slot (verdict.ts) when the run was compared with a baseline:
// the verdict, then per variant
// and metric the baseline, the current value, the change with its 95% interval, the band,
// the smallest change the runs could detect, and the verdict: the same rows as checks.md and
// the console, in the same words and units (src/checks). Pure; every run-supplied string escaped.
import type { ComparisonRow } from '../../checks/comparison.js';
import {
  changeText,
  detectableText,
  estimateText,
  headline,
  intervalText,
  nothingJudged,
  type CheckReport,
} from '../../checks/report.js';
import { escapeHtml as e } from './escape.js';

const VERDICT: Record<ComparisonRow['verdict'], { text: string; badge: string }> = {
  worse: { text: 'WORSE', badge: 'bad' },
  better: { text: 'better', badge: 'ok' },
  same: { text: 'same', badge: '' },
  'n/a': { text: 'n/a', badge: '' },
};

const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;

/** The verdict section's content (the slot wraps it), or '' when the checks hold no comparison. */
export function comparisonHtml(report: CheckReport): string {
  const c = report.comparison;
  if (!c) return '';
  const rows = c.rows.map((r) => {
    const verdict = VERDICT[r.verdict];
    return `<tr class="${r.verdict === 'worse' ? 'fail' : 'pass'}" title="${e(r.reason)}"><td><span class="badge ${verdict.badge}">${verdict.text}</span></td><td class="left">${e(r.variant)}</td><td class="left"><code>${e(r.metric)}</code></td><td>${e(estimateText(r.baseline, r.unit))}</td><td>${e(estimateText(r.current, r.unit))}</td><td>${e(changeText(r))}</td><td>${e(intervalText(r))}</td><td>${e(r.band)}</td><td>${e(detectableText(r))}</td></tr>`;
  });
  const worse = c.rows.filter((r) => r.verdict === 'worse');
  const reasons =
    worse.length > 0
      ? `<ul class="reasons">${worse.map((r) => `<li>${e(r.variant)} · <code>${e(r.metric)}</code>: ${e(r.reason)}</li>`).join('')}</ul>`
      : '';
  const notes = c.notes.length > 0 ? `<ul class="notes">${c.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : '';
  // Nothing judged (no metric in common, or all n/a) is no pass: it reads as a warning, not in the pass colour.
  return `<h2>Compared with the baseline</h2>
<p class="verdict ${c.regressions > 0 ? 'bad' : nothingJudged(c) ? 'warn' : 'ok'}">${e(headline({ ...report, thresholds: [] }).replace(/^./, (ch) => ch.toUpperCase()))}</p>
<p class="note">Baseline <code>${e(c.baseline.label)}</code> (${runs(c.baseline.runs)}) → this run (${runs(c.current.runs)}). A change is a regression when it is beyond its band <em>and</em> its 95% interval excludes 0, so that the runs' own noise cannot fail the check. "detects": the smallest change these runs could tell from noise (95% confidence, 80% power).</p>
<div class="table-scroll"><table class="comparison">
<thead><tr><th>verdict</th><th>variant</th><th>metric</th><th>baseline</th><th>current</th><th>change</th><th>95% interval</th><th>band</th><th>detects</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>
${reasons}${notes}`;
}
