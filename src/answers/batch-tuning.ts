// Streaming batch-size tuning: which worker-vllm batch settings (max_batch_size,
// min_batch_size, batch_size_growth_factor) and which poll interval give the first token
// soonest without flooding /stream with polls. Pure: reads the variants' summaries.
//
// With a TTFT target: the setting whose p95 TTFT meets it with the fewest /stream calls
// per request (ties: lower p50 E2E). Without one: the Pareto front of (p50 TTFT, calls).
// Worker-vllm 2.24 and later ignore the batch knobs (its stream is raw SSE): when the
// output says so, or the chunk sizes do not follow the requested batches, podbench says the
// knobs have no effect instead of recommending noise.
import type { StreamingSettings, VariantSummary } from '../core/summary.js';
import type { Finding, TunedSetting } from '../core/findings.js';

const BATCH_KNOBS = ['max_batch_size', 'min_batch_size', 'batch_size_growth_factor'];

/** Is this matrix parameter about stream batching or polling (`stream.max_batch_size`, or a whole `stream` block)? */
export function isTuningParam(key: string): boolean {
  return key === 'stream' || key === 'polling' || key.startsWith('stream.') || key.startsWith('polling.');
}

export interface TuningRow {
  name: string;
  params: Record<string, unknown>;
  ttftP50: number;
  ttftP95: number;
  ttftUncertaintyP50: number | null;
  /** /stream calls per request: every poll after the submission but the final /status read. */
  streamCalls: number;
  chunkTokensMean: number | null;
  chunkGapP50: number | null;
  e2eP50: number;
  streaming?: StreamingSettings;
}

export function tuningRows(
  variants: readonly VariantSummary[],
  streamingOf: (variant: string) => StreamingSettings | undefined = () => undefined,
): TuningRow[] {
  return variants
    .filter((v) => v.mode === 'stream' && v.counts.ok > 0 && v.metrics.ttftMs.p50 !== null)
    .map((v) => ({
      name: v.name,
      params: v.params,
      ttftP50: v.metrics.ttftMs.p50 as number,
      ttftP95: v.metrics.ttftMs.p95 as number,
      ttftUncertaintyP50: v.metrics.ttftUncertaintyMs.p50,
      streamCalls: Math.max(0, (v.metrics.polls.mean ?? 1) - 1),
      chunkTokensMean: v.metrics.chunkTokens.mean,
      chunkGapP50: v.metrics.chunkGapMs.p50,
      e2eP50: v.metrics.e2eMs.p50 as number,
      ...optional('streaming', streamingOf(v.name)),
    }));
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function knobsOf(params: Record<string, unknown>): string {
  const block = params.stream;
  const stream = typeof block === 'object' && block !== null ? (block as Record<string, unknown>) : {};
  return JSON.stringify(BATCH_KNOBS.map((k) => params[`stream.${k}`] ?? stream[k] ?? null));
}

/** Do the batch knobs visibly change the chunks? (false when they differ but chunk sizes do not) */
function knobsHaveEffect(rows: readonly TuningRow[]): boolean {
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    if (row.chunkTokensMean === null) continue;
    const key = knobsOf(row.params);
    groups.set(key, [...(groups.get(key) ?? []), row.chunkTokensMean]);
  }
  if (groups.size < 2) return true; // nothing to compare
  const means = [...groups.values()].map((list) => list.reduce((a, b) => a + b, 0) / list.length);
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  return hi > lo * 1.1;
}

function settingOf(row: TuningRow): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row.params).filter(([k]) => isTuningParam(k)));
}

/** A row as the findings carry it: the variant, its setting, and what it measured. */
function tuned(row: TuningRow): TunedSetting {
  return {
    variant: row.name,
    setting: settingOf(row),
    ttftP50Ms: row.ttftP50,
    ttftP95Ms: row.ttftP95,
    ttftUncertaintyP50Ms: row.ttftUncertaintyP50,
    streamCallsPerRequest: row.streamCalls,
    chunkTokensMean: row.chunkTokensMean,
    chunkGapP50Ms: row.chunkGapP50,
    e2eP50Ms: row.e2eP50,
    ...optional('streaming', row.streaming),
  };
}

/** p50 TTFTs within this fraction of each other count as equal: a few ms of run-to-run noise must not name a "faster" setting. */
const TTFT_TIE = 0.05;

/**
 * The Pareto front of (p50 TTFT, /stream calls): no other setting is at least as good on
 * both and better on one, where a TTFT within 5% counts as at least as good. (Dominance
 * needs no more calls and fewer calls or a sooner first token, so it has no cycles and the
 * front is never empty.)
 */
export function paretoFront(rows: readonly TuningRow[]): TuningRow[] {
  const asGood = (b: TuningRow, a: TuningRow) =>
    b.ttftP50 <= a.ttftP50 * (1 + TTFT_TIE) && b.streamCalls <= a.streamCalls;
  // Fewer calls beats a TTFT within the tie; at equal calls, any sooner first token wins.
  const better = (b: TuningRow, a: TuningRow) => b.streamCalls < a.streamCalls || b.ttftP50 < a.ttftP50;
  return rows
    .filter((a) => !rows.some((b) => b !== a && asGood(b, a) && better(b, a)))
    .sort((a, b) => a.ttftP50 - b.ttftP50);
}

export function recommendBatching(
  variants: readonly VariantSummary[],
  ttftTargetMs: number | undefined,
  streamingOf?: (variant: string) => StreamingSettings | undefined,
): Finding[] {
  const rows = tuningRows(variants, streamingOf);
  if (rows.length < 2) return [];
  const out: Finding[] = [];
  const varyKnobs = new Set(rows.map((r) => knobsOf(r.params))).size > 1;
  const proxy = variants.some((v) => (v.workerFormats.proxy ?? 0) > 0);
  if (varyKnobs && (proxy || !knobsHaveEffect(rows))) {
    out.push({
      kind: 'stream-batching-no-effect',
      cause: proxy ? 'raw-sse' : 'chunk-sizes',
      settings: rows.map((r) => ({ variant: r.name, chunkTokensMean: r.chunkTokensMean })),
    });
  }
  // All settings alike (within 5% on both counts): nothing to recommend, and say why.
  const spread = (values: number[]) =>
    Math.min(...values) > 0 ? Math.max(...values) / Math.min(...values) - 1 : Number.POSITIVE_INFINITY;
  if (spread(rows.map((r) => r.ttftP50)) <= TTFT_TIE && spread(rows.map((r) => r.streamCalls)) <= TTFT_TIE) {
    out.push({
      kind: 'stream-batching-alike',
      settings: rows.map((r) => ({ variant: r.name, ttftP50Ms: r.ttftP50, streamCallsPerRequest: r.streamCalls })),
    });
    return out;
  }
  // Without effect, only the polling part of a setting matters: the words say so where a setting is named.
  const knobsIgnored = out.length > 0;
  if (ttftTargetMs !== undefined) {
    const meeting = rows
      .filter((r) => r.ttftP95 <= ttftTargetMs)
      .sort((a, b) => a.streamCalls - b.streamCalls || a.e2eP50 - b.e2eP50);
    const best = meeting[0];
    if (best) {
      out.push({
        kind: 'stream-batching-target-met',
        ttftTargetMs,
        best: tuned(best),
        settingsMeeting: meeting.length,
        knobsIgnored,
      });
    } else {
      const fastest = [...rows].sort((a, b) => a.ttftP95 - b.ttftP95)[0] as TuningRow;
      out.push({ kind: 'stream-batching-target-missed', ttftTargetMs, closest: tuned(fastest), knobsIgnored });
    }
    return out;
  }
  out.push({ kind: 'stream-batching-front', front: paretoFront(rows).map(tuned), knobsIgnored });
  return out;
}
