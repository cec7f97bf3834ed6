// What a terminal shows of a finished run, the same after `podbench run` and `podbench
// report`: the table, send-lag warnings, thresholds and findings.
import { busyMachineNote, clientAdvice, clientThreadsText } from './client-advice.js';
import { thresholdLines } from '../checks/render-console.js';
import { failedCount } from '../checks/thresholds.js';
import type { RunSummary, VariantSummary } from '../core/summary.js';
import { findingLines } from './findings.js';
import { notMeasuredLines } from './not-measured-text.js';
import { consoleTable } from './summary-table.js';
import { cleanText } from '../util/redact.js';

/**
 * The table, thresholds and findings, then every warning once at the end (the run's own,
 * given as `warnings`, after those the summary implies).
 */
export function consoleReport(summary: RunSummary, warnings: readonly string[] = []): string {
  const out = [consoleTable(summary)];
  const notes = summary.variants.flatMap((v) => {
    const threads = v.clientLoopDelay ? clientThreadsText(v.clientLoopDelay) : undefined;
    return [...(threads ? [`${v.name}: ran on ${threads}`] : []), ...failureLines(v), ...notMeasuredLines(v)].map(
      (line) => `note: ${line}`,
    );
  });
  if (notes.length > 0) out.push('', ...notes);
  const goodput = goodputLines(summary.variants);
  if (goodput.length > 0) out.push('', ...goodput);
  if (summary.thresholds) out.push('', thresholdLines(summary.thresholds));
  if (summary.findings && summary.findings.length > 0) out.push('', findingLines(summary.findings));
  const all = [...new Set([...warnings, ...summaryWarnings(summary)])];
  if (all.length > 0) out.push('', ...all.map((w) => `warning: ${w}`));
  // Variant names, findings and warnings may quote a file or a server: nothing in them reaches the terminal as a control sequence.
  return cleanText(out.join('\n'));
}

/** What failed most often, with its first error text: the table gives only the error rate. */
function failureLines(v: VariantSummary): string[] {
  if (v.counts.failed === 0) return [];
  const top = v.errors
    .filter((e) => e.outcome !== 'aborted' && e.outcome !== 'not_sent')
    .reduce<VariantSummary['errors'][number] | undefined>((a, b) => (!a || b.count > a.count ? b : a), undefined);
  if (!top) return [];
  const example = top.example.length > 160 ? `${top.example.slice(0, 160)}…` : top.example;
  return [
    `${v.name}: ${v.counts.failed} of ${v.counts.sent} requests failed, most often ${top.outcome} (${top.count}): ${example}`,
  ];
}

/** Per variant with per-request SLOs: the rate of requests that met them all, and their share. */
export function goodputLines(variants: readonly VariantSummary[]): string[] {
  const withGoodput = variants.filter((v) => v.goodput);
  if (withGoodput.length === 0) return [];
  const fixed2 = (n: number) => n.toFixed(2);
  const percent = (n: number) => `${(n * 100).toFixed(1)}%`;
  return [
    `goodput (requests meeting ${withGoodput[0]?.goodput?.slo.join(', ')}; 95% intervals in brackets):`,
    ...withGoodput.map((v) => {
      const g = v.goodput as NonNullable<VariantSummary['goodput']>;
      // A figure, then its interval when the run could back one (summary.json interval95).
      const figure = (key: 'requestsPerSec' | 'outputTokensPerSec' | 'share', fmt: (n: number) => string) => {
        const value = g[key];
        if (value === null) return '–';
        const interval = g.interval95?.[key];
        return `${fmt(value)}${interval ? ` [${fmt(interval[0])}-${fmt(interval[1])}]` : ''}`;
      };
      return `  ${v.name}: ${figure('requestsPerSec', fixed2)} req/s, ${figure('outputTokensPerSec', fixed2)} out tok/s, ${figure('share', percent)} met (${g.met} requests)`;
    }),
  ];
}

/** What the numbers themselves say to distrust: requests sent late, and a client delay that matters. */
export function summaryWarnings(summary: RunSummary): string[] {
  const out: string[] = [];
  for (const v of summary.variants) {
    if (v.sendLag.behind) {
      out.push(
        `${v.name}: requests went out late (send lag p99 ${Math.round(v.metrics.sendLagMs.p99 ?? 0)} ms, ${Math.round((v.sendLag.lateOver1msShare ?? 0) * 100)}% over 1 ms): podbench could not write them on time (requests due together go onto their sockets one after another, or load.maxInFlight held them back). TTFT and E2E start at the write, so they leave this out; e2eFromScheduledMs holds the latency from the intended send time.${busyMachineNote(summary)}`,
      );
    }
  }
  for (const v of summary.variants) {
    const uncounted = v.tokenSources.none ?? 0;
    if (uncounted > 0) {
      out.push(
        `${v.name}: ${uncounted} of ${v.counts.ok} ok requests came back without an output token count (no usage in the answer, and no input.tokenizer to count its text): output tokens and tokens/s leave them out. Ask the server for usage (stream_options.include_usage on OpenAI streams) or set input.tokenizer`,
      );
    }
  }
  const late = summary.variants.filter((v) => v.clientLoopDelay?.significant);
  if (late.length > 0) {
    const worst = late.reduce((a, b) => ((b.clientLoopDelay?.ms.p99 ?? 0) > (a.clientLoopDelay?.ms.p99 ?? 0) ? b : a));
    const loop = worst.clientLoopDelay as NonNullable<VariantSummary['clientLoopDelay']>;
    out.push(
      `${late.length === 1 ? worst.name : `${late.length} variants (worst ${worst.name})`}: podbench's own event loop${(loop.threads ?? 1) > 1 ? `s (${loop.threads} client threads)` : ''} ran up to ${Math.round(loop.ms.p99 * 10) / 10} ms late (p99${loop.share === null || loop.share === undefined ? '' : `; ${Math.round(loop.share * 100)}% of the ${loop.against}`}), so TTFT and E2E include up to that much client delay. ${clientAdvice(summary, loop)}`,
    );
  }
  return out;
}

/** Did any threshold of this run fail? (exit code 1) */
export function thresholdsFailed(summary: RunSummary): boolean {
  return failedCount(summary.thresholds) > 0;
}
