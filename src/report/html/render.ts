// report.html: one self-contained page. Data, chart library and page script are inlined,
// and a Content-Security-Policy forbids every fetch, so the file opens offline from disk and
// can never call anything. Pure: (data, meta, summary, library text) → HTML string.
import { clientAdvice } from '../client-advice.js';
import { summaryWarnings } from '../console-report.js';
import type { RunMeta, RunSummary, VariantSummary } from '../../core/summary.js';
import { pageContext, purposeFindingKinds, purposeSection } from './purpose.js';
import { verdictSection } from './verdict.js';
import { formatDurationMs } from '../../util/duration.js';
import { escapeHtml as e, inlineScript, jsonForScript } from './escape.js';
import { pageHeader } from './header.js';
import { pageScript } from './page-script.js';
import { PAGE_CSS } from './style.js';
import { answersNote, findingsList } from './findings.js';
import {
  coldStartTable,
  errorsTable,
  headlineTable,
  serverSplitBars,
  thresholdsOf,
  thresholdsTable,
  goodputTable,
} from './tables.js';
import type { ReportData } from './types.js';

export interface PageAssets {
  /** uPlot's minified IIFE build (defines the global uPlot). */
  uplotJs: string;
  uplotCss: string;
}

export interface PageInput {
  data: ReportData;
  meta: RunMeta;
  summary: RunSummary;
  /** A baseline run's verdict, as HTML from the checks (comparison.ts); shown first when given. */
  verdictHtml?: string;
}

const DATA_ELEMENT_ID = 'report-data';

// No default-src: nothing may load. Inline scripts and styles are the page itself; uPlot
// sets element styles, and draws on canvases (no images).
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

function figure(id: string, title: string, caption = ''): string {
  return `<figure><figcaption>${title}${caption ? ` <small>${caption}</small>` : ''}</figcaption><div class="chart" id="${id}" data-chart></div></figure>`;
}

function section(id: string, title: string, note: string, body: string): string {
  return `<section id="${id}">\n<h2>${title}</h2>\n${note ? `<p class="note">${note}</p>\n` : ''}${body}\n</section>`;
}

/** Always shown when anything was sampled; a long list folds, its first line stays in view. */
function downsampledNotice(data: ReportData): string {
  const lines = data.downsampled;
  if (lines.length === 0) return '';
  const list = `<ul>${lines.map((line) => `<li>${e(line)}</li>`).join('')}</ul>`;
  return `<div class="notice" id="downsampled"><strong>Downsampled.</strong> This run is large, so some charts are drawn from samples (seeded, so rebuilding gives the same page). Every number in the tables is computed from all requests.
${lines.length <= 3 ? list : `<details><summary>${e(lines[0] as string)} (and ${lines.length - 1} more)</summary>${list}</details>`}</div>`;
}

/**
 * The console's warnings (requests sent late, podbench's own delay, missing token counts), on
 * the page too: a CI job's artifacts are often all anyone reads of a run.
 */
function warningsNotice(summary: RunSummary): string {
  const lines = summaryWarnings(summary);
  if (lines.length === 0) return '';
  return `<div class="notice" id="warnings"><strong>Warnings.</strong> What the numbers themselves say to distrust (the console printed the same):<ul>${lines.map((line) => `<li>${e(line)}</li>`).join('')}</ul></div>`;
}

/** summary.json's variants in the page's order (data.variants: along a swept parameter, else as run). */
function inPageOrder(summary: RunSummary, data: ReportData): VariantSummary[] {
  const byName = new Map(summary.variants.map((v) => [v.name, v]));
  const ordered = data.variants.flatMap((name) => byName.get(name) ?? []);
  return ordered.length === summary.variants.length ? ordered : summary.variants;
}

export function renderReportHtml(input: PageInput, assets: PageAssets): string {
  const { meta, summary } = input;
  const variants = inPageOrder(summary, input.data);
  const data: ReportData = { ...input.data, context: pageContext(meta, variants) };
  const loads = new Map(meta.variants.map((v) => [v.name, v.load]));
  const findings = summary.findings ?? [];
  const shownFirst = purposeFindingKinds(data, variants);
  const otherFindings = findings.filter((f) => !shownFirst.has(f.kind));
  // The page script draws the warm charts whenever the data holds them: the page must then
  // have their elements. Without a measured cold request they would only repeat the others.
  const warm = variants.some((v) => v.coldStarts.count > 0);
  if (!warm) data.warmDistributions = null;
  const thresholds = thresholdsOf(summary);
  const windowText = formatDurationMs(data.overTime.windowMs);
  const timelineNote =
    data.timeline.bars.length < data.timeline.total
      ? `A uniform random sample of ${data.timeline.bars.length.toLocaleString('en-US')} of ${data.timeline.total.toLocaleString('en-US')} requests (downsampled).`
      : `All ${data.timeline.total.toLocaleString('en-US')} requests.`;
  const body = [
    pageHeader(meta, summary),
    downsampledNotice(data),
    warningsNotice(summary),
    verdictSection(
      input.verdictHtml !== undefined ? { meta, summary, verdictHtml: input.verdictHtml } : { meta, summary },
    ),
    purposeSection(data, meta, variants, findings),
    section(
      'headline',
      'Results per variant',
      `Measured requests only (warmup excluded); latencies over successful requests; exact, over every request. TPOT: decode time per token after the first chunk.${warm ? ' Cold starts are present: the warm columns leave out the requests that waited for one.' : ''}`,
      `<div class="table-scroll">${headlineTable(variants, loads, warm, (loop) => clientAdvice(summary, loop))}</div>`,
    ),
    variants.length > 1
      ? `<div class="picker" id="variant-picker" role="group" aria-label="Variants shown in the charts"></div>`
      : '',
    variants.some((v) => v.goodput)
      ? section(
          'goodput',
          'Goodput',
          `Requests that ended ok within every per-request SLO (${e(variants.find((v) => v.goodput)?.goodput?.slo.join(', ') ?? '')}), per second of the throughput window, and their share of the requests sent.`,
          goodputTable(variants),
        )
      : '',
    thresholds && thresholds.length > 0 ? section('thresholds', 'Thresholds', '', thresholdsTable(thresholds)) : '',
    otherFindings.length > 0
      ? section('findings', 'Findings', answersNote(otherFindings), findingsList(otherFindings))
      : '',
    section(
      'distributions',
      'Latency distributions',
      `Cumulative distributions: the share of requests (y) that took at most x. Further left is faster; the top of each curve is the tail.${warm ? ' Beside them, the same over warm requests only: with cold starts present, the tail of all requests is mostly cold starts.' : ''}`,
      `<div class="grid">\n${figure('chart-ttft', 'Time to first token', 'all requests, streaming modes')}\n${warm ? `${figure('chart-ttft-warm', 'Time to first token, warm requests', 'cold starts left out')}\n` : ''}${figure('chart-e2e', 'End-to-end latency', 'all requests, sent → end')}\n${warm ? `${figure('chart-e2e-warm', 'End-to-end latency, warm requests', 'cold starts left out')}\n` : ''}</div>`,
    ),
    section(
      'over-time',
      'Over time',
      `Windows of ${e(windowText)}, every phase (warmup too). Drag across a chart to zoom, double-click to reset.`,
      `<div class="grid">
${figure('chart-inflight', 'Requests in flight', 'mean per window')}
${figure('chart-completions', 'Completions per second', 'successful requests')}
${figure('chart-tokens', 'Output tokens per second', 'successful requests')}
${figure('chart-errors', 'Errors per second', 'sent requests that did not succeed')}
${figure('chart-latency-window', 'p50 latency per window', 'TTFT solid, E2E dotted, by send time')}
${figure('chart-health', 'Workers reported by /health', 'stacked by state, maximum per window; idle = scaled down (not running, not billed)')}
${figure('chart-jobs', 'Jobs reported by /health', 'maximum per window')}
</div>`,
    ),
    section(
      'timeline',
      'Request timeline',
      `Each request is a bar from when it was scheduled to when it ended. ${timelineNote}`,
      `${figure('chart-timeline', 'Requests on the run clock')}
<div class="key-row"><span><i class="key wait"></i>scheduled → sent (send lag)</span><span><i class="key pre"></i>sent → first token</span><span><i class="key body"></i>first token → end (or sent → end)</span><span><i class="key first"></i>first token</span><span><i class="key err"></i>error</span><span><i class="key cold"></i>cold start</span><span>faded: warmup</span><span>colour: variant</span></div>`,
    ),
    section(
      'streaming',
      'Streaming',
      'Chunks of successful measured requests, pooled per variant: how many tokens arrive at once and how far apart; and how many /status or /stream polls each request needed.',
      `<div class="grid">\n${figure('chart-chunk-tokens', 'Chunk sizes', 'tokens')}\n${figure('chart-chunk-gaps', 'Chunk gaps', 'ms')}\n${figure('chart-polls', 'Polls per request')}\n</div>`,
    ),
    section(
      'server-split',
      'Server time split',
      "Where a request's time went, as Runpod reports it: delayTime (queue and cold start), executionTime (on the worker), and the rest (gateway, network, polling). Means, so the three add up to the mean E2E; percentiles beside.",
      `<div class="split" data-chart id="chart-split" data-points="${data.serverSplit.filter((s) => s !== null).length}">${serverSplitBars(variants, data.serverSplit)}</div>`,
    ),
    section(
      'cold-starts',
      'Cold starts',
      "Each job's delayTime at the time it was sent; large points are cold starts (as classified in summary.json). The chart includes warmup jobs, where cold starts usually happen; the table counts measured jobs, as summary.json does.",
      `${figure('chart-cold', 'delayTime of every job', 'ms')}\n<div class="table-scroll">${coldStartTable(variants)}</div>`,
    ),
    section(
      'errors',
      'Errors',
      'Outcome kinds of measured requests, with the first message seen of each.',
      errorsTable(variants),
    ),
  ].filter(Boolean);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(meta.scenario.name)} · podbench report</title>
<style>${assets.uplotCss}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<main>
${body.join('\n')}
<footer>podbench ${e(meta.podbenchVersion)} · run ${e(meta.runId)} · a self-contained page: it loads nothing from the network. Charts: uPlot (MIT).</footer>
</main>
<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForScript(data)}</script>
<script>${inlineScript(assets.uplotJs)}</script>
<script>${inlineScript(pageScript(DATA_ELEMENT_ID))}</script>
</body>
</html>
`;
}
