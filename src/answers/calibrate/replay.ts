// The replay check: the fitted emulator runs the run's own traffic (each request at its
// measured send time, with its prompt and output lengths), and the figures a user reads
// (TTFT, E2E, delay, throughput) are set beside the measured ones, computed by the same
// metric code. Pure: the caller runs the simulation.
import type { ReplayCheck, ReplayRow } from '../../core/calibration.js';
import type { RequestRecord } from '../../core/record.js';
import type { SimRequest } from '../../core/simulation.js';
import type { RunMeta, VariantSummary } from '../../core/summary.js';
import { summarizeRecords } from '../../metrics/summarize.js';

/** One variant's traffic as the simulation takes it, and the records it came from (same order). */
export interface ReplayPart {
  variant: string;
  /** The variant's first send on the run clock (model ms). */
  offsetMs: number;
  requests: SimRequest[];
  sources: RequestRecord[];
}

const TIME_FIELDS = [
  'scheduledMs',
  'sentMs',
  'firstTokenMs',
  'lastTokenMs',
  'endMs',
  'inProgressSeenMs',
  'delayMs',
  'executionMs',
  'ttftUncertaintyMs',
] as const;

/** A record with every time multiplied by the run's time scale (model ms). */
export function scaleRecord(record: RequestRecord, timeScale: number): RequestRecord {
  if (timeScale === 1) return record;
  const out: RequestRecord = { ...record };
  for (const field of TIME_FIELDS) {
    const v = record[field];
    if (v !== undefined) (out as unknown as Record<string, number>)[field] = v * timeScale;
  }
  if (record.chunks) out.chunks = record.chunks.map(([t, n]) => [t * timeScale, n]);
  return out;
}

/** The sent requests whose lengths are known, per variant, as open-loop traffic. */
export function replayTraffic(records: readonly RequestRecord[], timeScale: number): ReplayPart[] {
  const parts = new Map<string, ReplayPart>();
  const sorted = records
    .filter(
      (r) =>
        r.sentMs !== undefined && r.promptTokens !== undefined && r.outputTokens !== undefined && r.outputTokens > 0,
    )
    .sort((a, b) => (a.sentMs as number) - (b.sentMs as number));
  for (const r of sorted) {
    const sent = (r.sentMs as number) * timeScale;
    let part = parts.get(r.variant);
    if (!part) {
      part = { variant: r.variant, offsetMs: sent, requests: [], sources: [] };
      parts.set(r.variant, part);
    }
    part.requests.push({
      atMs: sent - part.offsetMs,
      promptTokens: r.promptTokens as number,
      maxTokens: r.outputTokens as number,
      ignoreEos: true,
    });
    part.sources.push(r);
  }
  return [...parts.values()];
}

const POOLED = 'all';

function pooled(records: readonly RequestRecord[], mode: RequestRecord['mode']): VariantSummary | undefined {
  const meta: RunMeta['variants'] = [
    {
      name: POOLED,
      params: {},
      mode,
      coldStartRule: { thresholdMs: Number.POSITIVE_INFINITY, idleGapMs: 0 },
      load: '',
    },
  ];
  return summarizeRecords(
    records.map((r) => ({ ...r, variant: POOLED })),
    meta,
  )[0];
}

function row(metric: ReplayRow['metric'], measured: number | null, replayed: number | null): ReplayRow {
  return {
    metric,
    measured,
    replayed,
    relativeError: measured !== null && replayed !== null && measured !== 0 ? replayed / measured - 1 : null,
  };
}

/** `measured`: the run's records in model ms (scaleRecord); `replayed`: the simulation's. */
export function compareReplay(measured: readonly RequestRecord[], replayed: readonly RequestRecord[]): ReplayCheck {
  const mode = measured[0]?.mode ?? 'stream';
  const m = pooled(measured, mode);
  const r = pooled(replayed, mode);
  // The figures the replay is held against, each read the same way from both sides; TTFT only
  // where the run measured one.
  const figures: Array<[ReplayRow['metric'], (s: VariantSummary) => number | null]> = [
    ...((m?.metrics.ttftMs.count ?? 0) > 0
      ? ([
          ['ttftMs.p50', (s) => s.metrics.ttftMs.p50],
          ['ttftMs.p95', (s) => s.metrics.ttftMs.p95],
        ] as Array<[ReplayRow['metric'], (s: VariantSummary) => number | null]>)
      : []),
    ['e2eMs.p50', (s) => s.metrics.e2eMs.p50],
    ['e2eMs.p95', (s) => s.metrics.e2eMs.p95],
    ['delayMs.p95', (s) => s.metrics.delayMs.p95],
    ['outputTokensPerSec', (s) => s.throughput.outputTokensPerSec],
  ];
  const rows: ReplayRow[] = figures.map(([name, read]) => row(name, m ? read(m) : null, r ? read(r) : null));
  return { requests: replayed.length, rows };
}
