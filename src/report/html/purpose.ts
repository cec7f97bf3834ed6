// What the run was for, first on the page: a sweep (or any run whose variants differ in one
// number) leads with its curves against that number and the SLOs it must keep; a stream
// tuning run with its settings side by side and the recommendation; a baseline run with its
// verdict (verdict.ts). Pure: summary, run.json and the page data in, HTML and the page
// context out.
import { parseThreshold } from '../../checks/threshold-parse.js';
import type { Finding } from '../../core/findings.js';
import type { RunMeta, VariantSummary } from '../../core/summary.js';
import { escapeHtml as e } from './escape.js';
import { fmtMs } from './format.js';
import { findingsList } from './findings.js';
import { variantColour } from './colours.js';
import { AXIS_PERCENTILES, type AxisMetric, type PageContext, type ReportData, type SloLine } from './types.js';

const AXIS_METRICS: readonly string[] = ['ttftMs', 'e2eMs', 'tpotMs'];

/** SLOs on TTFT, E2E or TPOT percentiles (all requests or warm ones), as lines to draw. */
export function sloLines(slo: readonly string[]): SloLine[] {
  const out: SloLine[] = [];
  for (const text of slo) {
    const parsed = parseThreshold(text);
    if (!parsed.ok || parsed.threshold.selector) continue;
    const { metric, op, limit } = parsed.threshold;
    const stat = metric.stat as (typeof AXIS_PERCENTILES)[number] | undefined;
    if (!AXIS_METRICS.includes(metric.base) || !stat || !AXIS_PERCENTILES.includes(stat)) continue;
    if (op !== '<' && op !== '<=') continue;
    out.push({ text, metric: metric.base as AxisMetric, percentile: stat, limitMs: limit });
  }
  return out;
}

/** A run comparing stream batching or polling settings. */
export function isTuning(variants: readonly VariantSummary[]): boolean {
  return variants.some(
    (v) => v.mode === 'stream' && Object.keys(v.params).some((k) => /^(stream|polling)(\.|$)/.test(k)),
  );
}

const streamCalls = (v: VariantSummary): number => Math.max(0, (v.metrics.polls.mean ?? 1) - 1);

export function pageContext(meta: RunMeta, variants: readonly VariantSummary[]): PageContext {
  return {
    slo: sloLines(meta.analysis?.slo ?? []),
    ttftTargetMs: meta.analysis?.ttftTargetMs ?? null,
    tuning: isTuning(variants)
      ? variants.flatMap((v, i) =>
          v.counts.ok > 0
            ? [
                {
                  variant: i,
                  streamCallsPerRequest: streamCalls(v),
                  ttftP50Ms: v.metrics.ttftMs.p50,
                  ttftP95Ms: v.metrics.ttftMs.p95,
                },
              ]
            : [],
        )
      : null,
  };
}

function figure(id: string, title: string, caption = ''): string {
  return `<figure><figcaption>${title}${caption ? ` <small>${caption}</small>` : ''}</figcaption><div class="chart" id="${id}" data-chart></div></figure>`;
}

const TUNING_KINDS = new Set<Finding['kind']>([
  'stream-batching-no-effect',
  'stream-batching-alike',
  'stream-batching-target-met',
  'stream-batching-target-missed',
  'stream-batching-front',
]);
const SWEEP_KINDS = new Set<Finding['kind']>(['capacity', 'no-capacity', 'capacity-plan', 'no-capacity-plan']);

/** The findings the purpose section shows; the findings section shows the rest. */
export function purposeFindingKinds(data: ReportData, variants: readonly VariantSummary[]): Set<Finding['kind']> {
  const kinds = new Set<Finding['kind']>();
  if (data.numericAxis) for (const k of SWEEP_KINDS) kinds.add(k);
  if (isTuning(variants)) for (const k of TUNING_KINDS) kinds.add(k);
  return kinds;
}

export function purposeSection(
  data: ReportData,
  meta: RunMeta,
  variants: readonly VariantSummary[],
  findings: readonly Finding[],
): string {
  const parts: string[] = [];
  const axis = data.numericAxis;
  if (axis) {
    const titles: Record<string, string> = { ttftMs: 'TTFT', e2eMs: 'E2E latency', tpotMs: 'Time per output token' };
    const metrics = [...new Set(axis.lines.map((l) => l.metric))];
    const param = `<code>${e(axis.param)}</code>`;
    const slo = sloLines(meta.analysis?.slo ?? []);
    const sweepFindings = findings.filter((f) => SWEEP_KINDS.has(f.kind));
    const sweep = meta.analysis?.sweep;
    parts.push(`<section id="numeric-axis" class="purpose">
<h2>${sweep ? 'Capacity sweep' : 'Against'} ${param}</h2>
<p class="note">The variants differ only in ${param}, shown in its order: each metric against it, one line per percentile (exact, from summary.json)${slo.length > 0 ? `, with the SLOs (${slo.map((s) => `<code>${e(s.text)}</code>`).join(', ')}) as dashed red lines` : ''}. Where the lines bend upward is where the endpoint stops keeping up.${
      axis.superseded.length > 0
        ? ` At one value, the variant with the most requests is plotted: ${axis.superseded.map((x) => `${e(x.by)} (run again with more requests) stands for ${e(x.name)}`).join('; ')}.`
        : ''
    }</p>
${sweepFindings.length > 0 ? findingsList(sweepFindings) : ''}
<div class="grid">
${metrics.map((m) => figure(`chart-axis-${m}`, `${titles[m]} by ${param}`, 'ms')).join('\n')}
${figure('chart-axis-throughput', `Throughput by ${param}`, 'requests/s (left), output tokens/s (right)')}
</div>
</section>`);
  }
  if (isTuning(variants)) {
    const tuningFindings = findings.filter((f) => TUNING_KINDS.has(f.kind));
    const target = meta.analysis?.ttftTargetMs;
    parts.push(`<section id="tuning" class="purpose">
<h2>Stream tuning</h2>
<p class="note">Each stream batching or polling setting: how soon the first token arrives against how many /stream calls each request costs${target !== undefined ? `, with the TTFT target (p95 ≤ ${fmtMs(target)} ms)` : ''}. Chunk sizes and gaps show what the batching did.</p>
${tuningFindings.length > 0 ? findingsList(tuningFindings) : ''}
<div class="grid">
${figure('chart-tuning', 'TTFT p95 against /stream calls per request', 'one marker per setting; lower left is better')}
</div>
<div class="table-scroll">${tuningTable(variants, meta, target)}</div>
</section>`);
  }
  return parts.join('\n');
}

function tuningTable(variants: readonly VariantSummary[], meta: RunMeta, targetMs: number | undefined): string {
  const streaming = new Map(meta.variants.map((v) => [v.name, v.streaming]));
  const rows = variants.map((v, i) => {
    const s = streaming.get(v.name);
    const fields = s
      ? [
          s.max_batch_size !== undefined ? `max ${s.max_batch_size}` : '',
          s.min_batch_size !== undefined ? `min ${s.min_batch_size}` : '',
          s.batch_size_growth_factor !== undefined ? `growth ${s.batch_size_growth_factor}` : '',
        ]
          .filter(Boolean)
          .join(', ') || 'worker defaults'
      : '–';
    const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 10) / 100} s` : `${Math.round(ms)} ms`);
    const poll = s
      ? s.pollWaitMs > 0
        ? `long-poll ${seconds(s.pollWaitMs)}`
        : `every ${seconds(s.pollIntervalMs)}`
      : '–';
    const p95 = v.metrics.ttftMs.p95;
    const meets =
      targetMs === undefined || p95 === null
        ? ''
        : p95 <= targetMs
          ? '<span class="badge ok">meets</span>'
          : '<span class="badge bad">misses</span>';
    return `<tr><th scope="row"><span class="swatch" style="background:${variantColour(i)}"></span>${e(v.name)}</th><td>${e(fields)}</td><td>${e(poll)}</td><td>${fmtMs(v.metrics.ttftMs.p50)}</td><td>${fmtMs(p95)} ${meets}</td><td>${v.counts.ok > 0 ? streamCalls(v).toFixed(1) : '–'}</td><td>${v.metrics.chunkTokens.mean === null ? '–' : v.metrics.chunkTokens.mean.toFixed(1)}</td><td>${fmtMs(v.metrics.chunkGapMs.p50)}</td><td>${fmtMs(v.metrics.e2eMs.p50)}</td></tr>`;
  });
  return `<table class="tuning"><thead><tr><th>setting</th><th>batch fields sent</th><th>polling</th><th>TTFT p50</th><th>TTFT p95</th><th>/stream calls per request</th><th>tokens per chunk (mean)</th><th>chunk gap p50</th><th>E2E p50</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
