// summary.csv rows and the console table: renderers that return values, no I/O.
import type { RunSummary, VariantSummary } from '../core/summary.js';
import type { Distribution } from '../core/distribution.js';
import { stringify } from 'csv-stringify/sync';
import { cleanText } from '../util/redact.js';
import { csvSafeText } from './csv-cell.js';

const CSV_METRICS = [
  'ttftMs',
  'e2eMs',
  'tpotMs',
  'delayMs',
  'executionMs',
  'overheadMs',
  'sendLagMs',
  'chunkGapMs',
  'ttftUncertaintyMs',
] as const;
const STATS = ['mean', 'p50', 'p90', 'p95', 'p99', 'max'] as const;

/** Per-request metrics of the CSV whose statistics carry intervals (chunkGapMs is pooled over chunks: none). */
const INTERVAL_METRICS = CSV_METRICS.filter((m) => m !== 'chunkGapMs');
const INTERVAL_STATS = ['mean', 'p50', 'p90', 'p95', 'p99'] as const;
const GOODPUT = ['requestsPerSec', 'outputTokensPerSec', 'share'] as const;

/** An interval95 pair (src/core/interval95.ts) of `figure`, when the summary has one. */
type Pairs = { interval95?: Record<string, unknown> } | undefined;

/**
 * Columns after the first ones, in their order, so readers by position keep working:
 * goodput, then each figure's 95% interval as `<figure>.low` and `<figure>.high` (empty when
 * the run could not back one: summary.json says why).
 */
const INTERVAL_COLUMNS: Array<{ column: string; figure: (v: VariantSummary) => { from: Pairs; key: string } }> = [
  { column: 'errorRate', figure: (v) => ({ from: v.counts, key: 'errorRate' }) },
  ...INTERVAL_METRICS.flatMap((m) =>
    INTERVAL_STATS.map((stat) => ({
      column: `${m}.${stat}`,
      figure: (v: VariantSummary) => ({ from: v.metrics[m], key: stat }),
    })),
  ),
  ...(['requestsPerSec', 'outputTokensPerSec', 'totalTokensPerSec'] as const).map((key) => ({
    column: key,
    figure: (v: VariantSummary) => ({ from: v.throughput, key }),
  })),
  ...(['p50', 'p90'] as const).flatMap((key) => [
    { column: `coldDelayMs.${key}`, figure: (v: VariantSummary) => ({ from: v.coldStarts.delayMs.cold, key }) },
    { column: `warmDelayMs.${key}`, figure: (v: VariantSummary) => ({ from: v.coldStarts.delayMs.warm, key }) },
  ]),
  { column: 'sendLateOver1msShare', figure: (v) => ({ from: v.sendLag, key: 'lateOver1msShare' }) },
  ...GOODPUT.map((key) => ({ column: `goodput.${key}`, figure: (v: VariantSummary) => ({ from: v.goodput, key }) })),
];

function bound(from: Pairs, key: string, side: 0 | 1): number | '' {
  const pair = from?.interval95?.[key];
  return Array.isArray(pair) && typeof pair[side] === 'number' ? (r3(pair[side]) as number) : '';
}

export const SUMMARY_COLUMNS: string[] = [
  'variant',
  'mode',
  'scheduled',
  'sent',
  'ok',
  'failed',
  'errorRate',
  'warmup',
  'retries',
  ...CSV_METRICS.flatMap((m) => STATS.map((s) => `${m}.${s}`)),
  'requestsPerSec',
  'outputTokensPerSec',
  'totalTokensPerSec',
  'windowMs',
  'coldStarts',
  'coldDelayMs.p50',
  'coldDelayMs.p90',
  'warmDelayMs.p50',
  'warmDelayMs.p90',
  'sendLateOver1msShare',
  'clientLoopDelayMs.p50',
  'clientLoopDelayMs.p99',
  'clientLoopDelayMs.max',
  'params',
  ...GOODPUT.map((key) => `goodput.${key}`),
  ...INTERVAL_COLUMNS.flatMap(({ column }) => [`${column}.low`, `${column}.high`]),
];

const r3 = (v: number | null | undefined) => (v === null || v === undefined ? '' : Math.round(v * 1000) / 1000);

export function summaryCsv(summary: RunSummary): string {
  const rows = summary.variants.map((v) => {
    const row: Record<string, unknown> = {
      variant: v.name,
      mode: v.mode,
      scheduled: v.counts.scheduled,
      sent: v.counts.sent,
      ok: v.counts.ok,
      failed: v.counts.failed,
      errorRate: r3(v.counts.errorRate),
      warmup: v.counts.warmup,
      retries: v.counts.retries,
      requestsPerSec: r3(v.throughput.requestsPerSec),
      outputTokensPerSec: r3(v.throughput.outputTokensPerSec),
      totalTokensPerSec: r3(v.throughput.totalTokensPerSec),
      windowMs: r3(v.throughput.windowMs),
      coldStarts: v.coldStarts.count,
      'coldDelayMs.p50': r3(v.coldStarts.delayMs.cold.p50),
      'coldDelayMs.p90': r3(v.coldStarts.delayMs.cold.p90),
      'warmDelayMs.p50': r3(v.coldStarts.delayMs.warm.p50),
      'warmDelayMs.p90': r3(v.coldStarts.delayMs.warm.p90),
      sendLateOver1msShare: r3(v.sendLag.lateOver1msShare),
      'clientLoopDelayMs.p50': r3(v.clientLoopDelay?.ms.p50),
      'clientLoopDelayMs.p99': r3(v.clientLoopDelay?.ms.p99),
      'clientLoopDelayMs.max': r3(v.clientLoopDelay?.ms.max),
      params: JSON.stringify(v.params),
    };
    for (const metric of CSV_METRICS) for (const stat of STATS) row[`${metric}.${stat}`] = r3(v.metrics[metric][stat]);
    for (const key of GOODPUT) row[`goodput.${key}`] = r3(v.goodput?.[key]);
    for (const { column, figure } of INTERVAL_COLUMNS) {
      const { from, key } = figure(v);
      row[`${column}.low`] = bound(from, key, 0);
      row[`${column}.high`] = bound(from, key, 1);
    }
    return row;
  });
  return stringify(rows, {
    header: true,
    columns: SUMMARY_COLUMNS,
    cast: { string: (text) => csvSafeText(cleanText(text)) },
  });
}

/** The columns say "ms", so every cell is in ms, however long (12,345 not 12.3s). */
function ms(value: number | null): string {
  if (value === null) return '-';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(1);
}

function triple(d: Distribution): string {
  return d.count === 0 ? '-' : `${ms(d.p50)} / ${ms(d.p95)} / ${ms(d.p99)}`;
}

function rate(value: number | null): string {
  return value === null ? '-' : value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

function pair(d: Distribution | undefined): string {
  return d === undefined || d.count === 0 ? '-' : `${ms(d.p50)} / ${ms(d.p95)}`;
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Does a run have cold starts whose warm-only figures differ from the headline? */
export function hasColdStarts(summary: RunSummary): boolean {
  return summary.variants.some((v) => v.coldStarts.count > 0 && (v.warm?.ok ?? 0) > 0);
}

/** A run that compares stream batching or polling (a matrix over stream.* or polling.*). */
export function isTuningRun(summary: RunSummary): boolean {
  return summary.variants.some(
    (v) => v.mode === 'stream' && Object.keys(v.params).some((k) => /^(stream|polling)(\.|$)/.test(k)),
  );
}

/**
 * The end-of-run table: one line per variant, the numbers people look at first. With cold
 * starts, the warm requests' TTFT beside it (the headline's tail is then mostly cold starts).
 */
export function consoleTable(summary: RunSummary): string {
  const warm = hasColdStarts(summary);
  const header = [
    'variant',
    'ok/sent',
    'errors',
    'TTFT ms p50/p95/p99',
    ...(warm ? ['warm TTFT p50/p95'] : []),
    'E2E ms p50/p95/p99',
    'req/s',
    'out tok/s',
    'cold',
  ];
  const rows = summary.variants.map((v: VariantSummary) => [
    v.name,
    `${v.counts.ok}/${v.counts.sent}`,
    v.counts.errorRate === null ? '-' : `${(v.counts.errorRate * 100).toFixed(1)}%`,
    triple(v.metrics.ttftMs),
    ...(warm ? [pair(v.warm?.metrics.ttftMs)] : []),
    triple(v.metrics.e2eMs),
    rate(v.throughput.requestsPerSec),
    rate(v.throughput.outputTokensPerSec),
    // No server timing (the OpenAI routes): cold starts cannot be seen, which is not zero.
    v.coldStarts.share === null ? '-' : String(v.coldStarts.count),
  ]);
  const table = textTable(header, rows);
  return isTuningRun(summary) ? `${table}\n\n${tuningTable(summary)}` : table;
}

/** What stream tuning trades: the first token against /stream calls, chunk sizes and gaps. */
export function tuningTable(summary: RunSummary): string {
  const header = [
    'stream tuning',
    'TTFT ms p50/p95',
    '/stream calls/req',
    'chunk tokens mean',
    'gap ms p50',
    'E2E ms p50',
  ];
  const rows = summary.variants.map((v) => [
    v.name,
    pair(v.metrics.ttftMs),
    v.metrics.polls.mean === null ? '-' : Math.max(0, v.metrics.polls.mean - 1).toFixed(1),
    v.metrics.chunkTokens.mean === null ? '-' : v.metrics.chunkTokens.mean.toFixed(1),
    v.metrics.chunkGapMs.count === 0 ? '-' : ms(v.metrics.chunkGapMs.p50),
    v.metrics.e2eMs.count === 0 ? '-' : ms(v.metrics.e2eMs.p50),
  ]);
  return textTable(header, rows);
}
