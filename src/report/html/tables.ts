// The page's tables, from summary.json (exact numbers over every request): the headline per
// variant, thresholds, cold starts, server time split and errors. Pure: summary in, HTML out,
// every run-supplied string escaped.
import { clientThreadsText } from '../client-advice.js';
import type { ThresholdResult as CoreThresholdResult, RunSummary, VariantSummary } from '../../core/summary.js';
import type { Distribution } from '../../core/distribution.js';
import { escapeHtml as e } from './escape.js';
import { fmtCount, fmtMs, fmtRate, fmtShare } from './format.js';
import type { ServerSplit } from './types.js';
import { variantColour } from './colours.js';
import { measuredText, thresholdVerdict } from '../../checks/report.js';

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What the thresholds add to summary.json; the table shows when it is there. */
export type ThresholdResult = Pick<CoreThresholdResult, 'expression' | 'variant' | 'value' | 'passed' | 'metric'> &
  Partial<Pick<CoreThresholdResult, 'note' | 'runs' | 'ci'>>;

function swatch(index: number): string {
  return `<span class="swatch" style="background:${variantColour(index)}"></span>`;
}

/** A figure's 95% interval (summary.json interval95) as a second line; absent in older files. */
function within(
  intervals: { reasons?: Record<string, string | undefined> } & Record<string, unknown>,
  key: string,
  fmt: (v: number) => string,
): string {
  const interval = intervals[key] as [number, number] | null | undefined;
  if (interval === undefined) return '';
  if (interval === null) return `<div class="sub" title="${e(intervals.reasons?.[key] ?? '')}">no 95% interval</div>`;
  return `<div class="sub" title="95% interval from this run's own requests">${fmt(interval[0])} – ${fmt(interval[1])}</div>`;
}

function stat(d: Distribution, key: 'p50' | 'p95' | 'p99'): string {
  return `${fmtMs(d[key])}${d.interval95 ? within(d.interval95, key, fmtMs) : ''}`;
}

function triple(d: Distribution): string {
  return d.count === 0
    ? '<td class="na" colspan="3">–</td>'
    : `<td>${stat(d, 'p50')}</td><td>${stat(d, 'p95')}</td><td>${stat(d, 'p99')}</td>`;
}

function pairCells(d: Distribution | undefined): string {
  return d === undefined || d.count === 0
    ? '<td class="na warm" colspan="2">–</td>'
    : `<td class="warm">${stat(d, 'p50')}</td><td class="warm">${stat(d, 'p95')}</td>`;
}

function rate(v: VariantSummary, key: 'requestsPerSec' | 'outputTokensPerSec'): string {
  const intervals = v.throughput.interval95;
  return `${fmtRate(v.throughput[key])}${intervals ? within(intervals, key, (x) => fmtRate(x)) : ''}`;
}

/**
 * One row per variant. With `warm`, the warm requests' TTFT and E2E (p50, p95) stand beside
 * the all-requests figures: with cold starts present, the tail of all requests is mostly them.
 */
export function headlineTable(
  variants: readonly VariantSummary[],
  loads: ReadonlyMap<string, string>,
  warm = false,
  /** What would remove a significant client delay (report/client-advice.ts). */
  advice?: (loop: NonNullable<VariantSummary['clientLoopDelay']>) => string,
): string {
  const rows = variants.map((v, i) => {
    const behind = v.sendLag.behind
      ? ` <span class="badge warn" title="podbench sent requests late against their schedule (sendLag in summary.json): the harness, not the endpoint, hit a limit">send lag</span>`
      : '';
    // A client delay that matters gets a warning badge; a smaller one stays a plain line.
    const loop = v.clientLoopDelay;
    const loopText = loop
      ? `podbench's own event loop${(loop.threads ?? 1) > 1 ? `s (${loop.threads} client threads, the worst)` : ''} ran late (p99 ${loop.ms.p99} ms, max ${loop.ms.max} ms${loop.share !== undefined && loop.share !== null ? `; ${Math.round(loop.share * 100)}% of the ${loop.against}` : ''}): answers that arrived together were time-stamped up to that late.${loop.significant && advice ? ` ${advice(loop)}` : ''}`
      : '';
    const busy = loop?.significant
      ? ` <span class="badge warn" title="${e(loopText)}">client delay ${e(String(Math.round(loop.ms.p99 * 10) / 10))} ms</span>`
      : loop?.busy
        ? `<div class="sub" title="${e(loopText)}">client delay p99 ${e(String(Math.round(loop.ms.p99 * 10) / 10))} ms (small against what was measured)</div>`
        : '';
    const load = loads.get(v.name);
    const threads = loop ? clientThreadsText(loop) : undefined;
    return `<tr>
<th scope="row">${swatch(i)}${e(v.name)}${behind}${busy}${threads ? `<div class="sub">${e(threads)}</div>` : ''}${load ? `<div class="sub">${e(v.mode)} · ${e(load)}</div>` : `<div class="sub">${e(v.mode)}</div>`}</th>
<td>${fmtCount(v.counts.ok)} / ${fmtCount(v.counts.sent)}${v.counts.scheduled !== v.counts.sent ? `<div class="sub">${fmtCount(v.counts.scheduled - v.counts.sent)} not sent</div>` : ''}</td>
<td>${v.counts.errorRate === null ? '–' : fmtShare(1 - v.counts.errorRate)}</td>
${triple(v.metrics.ttftMs)}${warm ? pairCells(v.warm?.metrics.ttftMs) : ''}${triple(v.metrics.e2eMs)}${warm ? pairCells(v.warm?.metrics.e2eMs) : ''}${triple(v.metrics.tpotMs)}
<td>${rate(v, 'requestsPerSec')}</td><td>${rate(v, 'outputTokensPerSec')}</td>
<td>${v.coldStarts.share === null ? '–' : fmtCount(v.coldStarts.count)}</td>
</tr>`;
  });
  return `<table class="headline">
<thead>
<tr><th rowspan="2">variant</th><th rowspan="2">ok / sent</th><th rowspan="2">success</th><th colspan="3">TTFT (ms)</th>${warm ? '<th colspan="2" class="warm">TTFT, warm</th>' : ''}<th colspan="3">E2E latency (ms)</th>${warm ? '<th colspan="2" class="warm">E2E, warm</th>' : ''}<th colspan="3">TPOT (ms/token)</th><th rowspan="2">req/s</th><th rowspan="2">output tok/s</th><th rowspan="2">cold starts</th></tr>
<tr><th>p50</th><th>p95</th><th>p99</th>${warm ? '<th class="warm">p50</th><th class="warm">p95</th>' : ''}<th>p50</th><th>p95</th><th>p99</th>${warm ? '<th class="warm">p50</th><th class="warm">p95</th>' : ''}<th>p50</th><th>p95</th><th>p99</th></tr>
</thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

export function thresholdsOf(summary: RunSummary): ThresholdResult[] | undefined {
  return (summary as RunSummary & { thresholds?: ThresholdResult[] }).thresholds;
}

export function thresholdsTable(thresholds: readonly ThresholdResult[]): string {
  const failed = thresholds.filter((t) => !t.passed).length;
  const rows = thresholds.map(
    (t) =>
      `<tr class="${t.passed ? 'pass' : 'fail'}"><td><code>${e(t.expression)}</code></td><td>${e(t.variant ?? 'all variants')}</td><td>${e(measuredText(t))}</td><td><span class="badge ${t.passed ? 'ok' : 'bad'}">${t.passed ? 'pass' : 'FAIL'}</span></td></tr>`,
  );
  return `<p class="${failed > 0 ? 'verdict bad' : 'verdict ok'}">${capitalize(thresholdVerdict(failed, thresholds.length))}</p>
<table><thead><tr><th>threshold</th><th>variant</th><th>measured</th><th>result</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** Goodput per variant: requests that met every per-request SLO (summary.json `goodput`). */
export function goodputTable(variants: readonly VariantSummary[]): string {
  const rows = variants
    .map((v, i) => {
      const g = v.goodput;
      if (!g) return '';
      const interval = (key: 'requestsPerSec' | 'outputTokensPerSec' | 'share', fmt: (x: number) => string) =>
        g.interval95 ? within(g.interval95, key, fmt) : '';
      return `<tr><td>${swatch(i)}${e(v.name)}</td><td>${fmtRate(g.requestsPerSec)}${interval('requestsPerSec', (x) => fmtRate(x))}</td><td>${fmtRate(g.outputTokensPerSec)}${interval('outputTokensPerSec', (x) => fmtRate(x))}</td><td>${fmtShare(g.share)}${interval('share', (x) => fmtShare(x))}</td><td>${fmtCount(g.met)}</td></tr>`;
    })
    .filter((row) => row !== '');
  return `<table><thead><tr><th>variant</th><th>goodput req/s</th><th>goodput out tok/s</th><th>met every SLO</th><th>requests</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

export function coldStartTable(variants: readonly VariantSummary[]): string {
  const cells = (d: VariantSummary['coldStarts']['delayMs']['cold']) =>
    d.count === 0
      ? '<td class="na" colspan="4">–</td>'
      : `<td>${fmtMs(d.p50)}</td><td>${fmtMs(d.p70)}</td><td>${fmtMs(d.p90)}</td><td>${fmtMs(d.p98)}</td>`;
  const rows = variants.map(
    (v, i) =>
      `<tr><th scope="row">${swatch(i)}${e(v.name)}</th><td>${fmtCount(v.coldStarts.count)}</td><td>${fmtShare(v.coldStarts.share)}</td>${cells(v.coldStarts.delayMs.cold)}${cells(v.coldStarts.delayMs.warm)}</tr>`,
  );
  return `<table><thead>
<tr><th rowspan="2">variant</th><th rowspan="2">cold starts</th><th rowspan="2">share of jobs</th><th colspan="4">cold delayTime (ms)</th><th colspan="4">warm delayTime (ms)</th></tr>
<tr><th>P50</th><th>P70</th><th>P90</th><th>P98</th><th>P50</th><th>P70</th><th>P90</th><th>P98</th></tr>
</thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** Stacked bars of mean delay + execution + overhead (they add up to the mean E2E), with summary.json's percentiles beside. */
export function serverSplitBars(
  variants: readonly VariantSummary[],
  splits: ReadonlyArray<ServerSplit | null>,
): string {
  const longest = Math.max(
    0,
    ...splits.map((s) =>
      s ? Math.max(s.e2eMeanMs, s.delayMeanMs + s.executionMeanMs + Math.max(0, s.overheadMeanMs)) : 0,
    ),
  );
  const pct = (ms: number) => (longest > 0 ? Math.max(0, (ms / longest) * 100).toFixed(2) : '0');
  const rows = variants.map((v, i) => {
    const s = splits[i];
    if (!s)
      return `<div class="split-row"><div class="split-name">${swatch(i)}${e(v.name)}</div><div class="split-none">no server timing (delayTime / executionTime) reported</div></div>`;
    const p = (d: Distribution) => `p50 ${fmtMs(d.p50)} · p95 ${fmtMs(d.p95)}`;
    return `<div class="split-row">
<div class="split-name">${swatch(i)}${e(v.name)}<div class="sub">${fmtCount(s.count)} requests · mean E2E ${fmtMs(s.e2eMeanMs)} ms</div></div>
<div class="split-bar" data-points="${s.count}">
<span class="seg delay" style="width:${pct(s.delayMeanMs)}%" title="delayTime mean ${fmtMs(s.delayMeanMs)} ms"></span><span class="seg exec" style="width:${pct(s.executionMeanMs)}%" title="executionTime mean ${fmtMs(s.executionMeanMs)} ms"></span><span class="seg overhead" style="width:${pct(s.overheadMeanMs)}%" title="overhead mean ${fmtMs(s.overheadMeanMs)} ms"></span>
</div>
<div class="split-numbers"><span><i class="key delay"></i>delay ${fmtMs(s.delayMeanMs)} ms <small>(${p(v.metrics.delayMs)})</small></span><span><i class="key exec"></i>execution ${fmtMs(s.executionMeanMs)} ms <small>(${p(v.metrics.executionMs)})</small></span><span><i class="key overhead"></i>overhead ${fmtMs(s.overheadMeanMs)} ms <small>(${p(v.metrics.overheadMs)})</small></span></div>
</div>`;
  });
  return rows.join('\n');
}

export function errorsTable(variants: readonly VariantSummary[]): string {
  const rows = variants.flatMap((v, i) =>
    v.errors.map((err) => {
      const statuses =
        err.outcome === 'http_error' && Object.keys(v.counts.httpStatus).length > 0
          ? `<div class="sub">${Object.entries(v.counts.httpStatus)
              .map(([status, count]) => `HTTP ${e(status)} × ${fmtCount(count)}`)
              .join(', ')}</div>`
          : '';
      return `<tr><th scope="row">${swatch(i)}${e(v.name)}</th><td><code>${e(err.outcome)}</code>${statuses}</td><td>${fmtCount(err.count)}</td><td class="example"><code>${e(err.example)}</code></td></tr>`;
    }),
  );
  if (rows.length === 0) return '<p class="ok-note">No errors: every request that was sent succeeded.</p>';
  return `<table class="errors"><thead><tr><th>variant</th><th>outcome</th><th>count</th><th>first example</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
