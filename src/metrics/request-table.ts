// One variant's measured requests as a comparison resamples them: one row per sent measured
// request, a column per per-request metric. summary.json keeps only each metric's statistics;
// to know how much a p95 or a throughput could move by chance, compare needs the values
// behind it (src/checks/intervals.ts), so baselines and repeat aggregates carry this table.
//
// The columns hold what the summarizer (./summarize.ts) takes from each record, under the
// same rules: latency metrics of ok requests, sendLagMs and polls of every sent request.
// Per-chunk metrics (chunkGapMs, chunkTokens) are pooled over chunks, not one value per
// request, so they have no column (and no interval). A run larger than MAX_TABLE_ROWS keeps
// a uniform random sample of its rows (seeded by the variant's name), and `total` says how
// many there were: the sample stands for the distribution, `total` for the sample size.
import { DEFAULT_COLD_START_RULE } from '../core/cold-start-rule.js';
import type { RequestRecord } from '../core/record.js';
import { PER_REQUEST_METRICS, type RunVariantMeta } from '../core/summary.js';
import { createRng, hashString } from '../util/rng.js';
import { classifyColdStarts, pickupFacts, type PickupFacts } from './cold-start.js';
import { meetsSlos, type RequestSlo } from './goodput.js';

/** Per-request metrics with one value per request (the summary's METRIC_NAMES but the per-chunk ones). */
export const TABLE_COLUMNS = PER_REQUEST_METRICS;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

/** Rows kept per variant and run: enough to draw a p99 well, small enough for a baseline file. */
export const MAX_TABLE_ROWS = 5000;

export const OUTCOME_OK = 0;
export const OUTCOME_FAILED = 1;
export const OUTCOME_ABORTED = 2;
export const CLASS_UNTIMED = 0;
export const CLASS_WARM = 1;
export const CLASS_COLD = 2;

/** How the requests were scheduled: what a replay of the run's throughput must follow. */
/** burst: every request sent at once (load.profile throughput), so only its drain is steady. */
export type TableLoad = { model: 'closed'; concurrency: number; burst?: true } | { model: 'open' } | { model: 'other' };

export interface RequestTable {
  /** Sent measured requests of the variant; the rows are all of them or a uniform sample. */
  total: number;
  load: TableLoad;
  /** Per row: 0 ok, 1 failed (counts against errorRate), 2 aborted (counts neither way). */
  outcome: number[];
  /** Per row: 0 no server timing, 1 warm, 2 cold (the cold-start rule of run.json). */
  class: number[];
  /** Per row: endMs − scheduledMs, the time the request held its slot (user, or place in the schedule). */
  slotMs: number[];
  /** Per row: scheduledMs − the first measured request's scheduledMs. */
  scheduledMs: number[];
  /** Per row: delayTime of a sent request with server timing, whatever its outcome (cold-start figures). */
  pickupDelayMs: Array<number | null>;
  /**
   * Per row: 1 when the request met every per-request SLO (goodput, ./goodput.ts), else 0.
   * Present when the run has per-request SLOs (absent in tables written before it existed).
   */
  sloMet?: number[];
  /** Per column, per row: the value the summarizer took from the request, null when it took none. */
  columns: Record<TableColumn, Array<number | null>>;
}

/** The load model of a variant's effective `load:` block (undefined: an older run.json without it). */
export function tableLoad(load: Record<string, unknown> | undefined): TableLoad {
  if (!load) return { model: 'other' };
  if (load.stages !== undefined || load.probes !== undefined)
    return load.rate !== undefined ? { model: 'open' } : { model: 'other' };
  if (typeof load.rate === 'number') return { model: 'open' };
  // GuideLLM's profiles (src/schedule/load-plan.ts): one user, or as many as there are requests.
  if (load.profile === 'synchronous') return { model: 'closed', concurrency: 1 };
  if (load.profile === 'throughput') {
    const atOnce = [load.maxInFlight, load.requests].filter((n): n is number => typeof n === 'number');
    return atOnce.length > 0 ? { model: 'closed', concurrency: Math.min(...atOnce), burst: true } : { model: 'other' };
  }
  if (typeof load.concurrency === 'number') return { model: 'closed', concurrency: load.concurrency };
  return { model: 'other' };
}

interface Row {
  seq: number;
  outcome: number;
  scheduledMs: number;
  slotMs: number;
  pickupDelayMs: number | null;
  sloMet: number;
  values: Array<number | null>;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function rowOf(r: RequestRecord, slos: readonly RequestSlo[]): Row | undefined {
  if (r.phase === 'warmup' || r.sentMs === undefined) return undefined;
  const ok = r.outcome === 'ok';
  const values: Array<number | null> = TABLE_COLUMNS.map(() => null);
  const set = (column: TableColumn, value: number | undefined) => {
    if (value !== undefined) values[TABLE_COLUMNS.indexOf(column)] = round(value);
  };
  set('sendLagMs', r.sentMs - r.scheduledMs);
  set('polls', r.polls);
  if (ok) {
    const e2e = r.endMs - r.sentMs;
    set('e2eMs', e2e);
    set('e2eFromScheduledMs', r.endMs - r.scheduledMs);
    if (r.firstTokenMs !== undefined) set('ttftMs', r.firstTokenMs - r.sentMs);
    set('ttftUncertaintyMs', r.ttftUncertaintyMs);
    set('delayMs', r.delayMs);
    set('executionMs', r.executionMs);
    if (r.delayMs !== undefined && r.executionMs !== undefined) set('overheadMs', e2e - r.delayMs - r.executionMs);
    set('promptTokens', r.promptTokens);
    set('outputTokens', r.outputTokens);
    const first = r.chunks?.[0];
    if (first && r.firstTokenMs !== undefined && r.lastTokenMs !== undefined && r.outputTokens !== undefined) {
      const after = r.outputTokens - first[1];
      if (after > 0) set('tpotMs', (r.lastTokenMs - r.firstTokenMs) / after);
    }
  }
  const facts = pickupFacts(r);
  return {
    seq: r.seq,
    outcome: ok ? OUTCOME_OK : r.outcome === 'aborted' ? OUTCOME_ABORTED : OUTCOME_FAILED,
    scheduledMs: r.scheduledMs,
    slotMs: round(r.endMs - r.scheduledMs),
    pickupDelayMs: facts ? round(facts.delayMs) : null,
    // From the record itself, by goodput's own rule, so the interval is around the same count.
    sloMet: slos.length > 0 && meetsSlos(r, slos) ? 1 : 0,
    values,
  };
}

export interface TableCollector {
  add(record: RequestRecord): void;
  /**
   * One table per variant run.json lists (and per variant only the records name). `coldSeqs`:
   * the cold requests as the summarizer classified them (deriveRun has them); without it the
   * collector classifies on its own, from the pickups it kept (`classify`).
   */
  finish(coldSeqs?: ReadonlySet<number>): Record<string, RequestTable>;
}

export interface TableOptions {
  /** Rows kept per variant (default MAX_TABLE_ROWS). */
  maxRows?: number;
  /** Keep every pickup to classify cold starts in finish() (default true; false when the summarizer's are at hand). */
  classify?: boolean;
  /** The run's per-request SLOs: each row says whether its request met them all (goodput's intervals). */
  slos?: readonly RequestSlo[];
}

export function createTableCollector(variants: readonly RunVariantMeta[], options: TableOptions = {}): TableCollector {
  const maxRows = options.maxRows ?? MAX_TABLE_ROWS;
  const classify = options.classify ?? true;
  const slos = options.slos ?? [];
  const byVariant = new Map<string, { rows: Row[]; seen: number; pickups: PickupFacts[]; firstScheduledMs: number }>();
  const stateOf = (name: string) => {
    let state = byVariant.get(name);
    if (!state) {
      state = { rows: [], seen: 0, pickups: [], firstScheduledMs: Number.POSITIVE_INFINITY };
      byVariant.set(name, state);
    }
    return state;
  };
  for (const v of variants) stateOf(v.name);
  const rngs = new Map<string, ReturnType<typeof createRng>>();
  return {
    add(record) {
      const state = stateOf(record.variant);
      if (classify) {
        // Warmup jobs warm workers: the cold-start rule needs them, the table does not.
        const facts = pickupFacts(record);
        if (facts) state.pickups.push(facts);
      }
      if (record.phase === 'warmup' || record.sentMs === undefined) return;
      state.firstScheduledMs = Math.min(state.firstScheduledMs, record.scheduledMs);
      state.seen += 1;
      if (state.rows.length < maxRows) {
        state.rows.push(rowOf(record, slos) as Row);
        return;
      }
      // Reservoir sampling (Algorithm R): every row ends up kept with the same chance, and
      // a row that is not kept is never built.
      let rng = rngs.get(record.variant);
      if (!rng) {
        rng = createRng(hashString(`request-table ${record.variant}`));
        rngs.set(record.variant, rng);
      }
      const slot = Math.floor(rng.next() * state.seen);
      if (slot < maxRows) state.rows[slot] = rowOf(record, slos) as Row;
    },
    finish(coldSeqs) {
      const out: Record<string, RequestTable> = {};
      for (const [name, state] of byVariant) {
        const meta = variants.find((v) => v.name === name);
        const cold = coldSeqs ?? classifyColdStarts(state.pickups, meta?.coldStartRule ?? DEFAULT_COLD_START_RULE);
        const rows = [...state.rows].sort((a, b) => a.seq - b.seq);
        const columns = Object.fromEntries(
          TABLE_COLUMNS.map((column, i) => [column, rows.map((row) => row.values[i] ?? null)]),
        ) as Record<TableColumn, Array<number | null>>;
        out[name] = {
          total: state.seen,
          load: tableLoad(meta?.effective?.load as Record<string, unknown> | undefined),
          outcome: rows.map((row) => row.outcome),
          // Timed: the server reported the pickup (what the cold-start rule reads).
          class: rows.map((row) =>
            cold.has(row.seq) ? CLASS_COLD : row.pickupDelayMs !== null ? CLASS_WARM : CLASS_UNTIMED,
          ),
          slotMs: rows.map((row) => row.slotMs),
          scheduledMs: rows.map((row) => round(row.scheduledMs - state.firstScheduledMs)),
          pickupDelayMs: rows.map((row) => row.pickupDelayMs),
          ...(slos.length > 0 ? { sloMet: rows.map((row) => row.sloMet) } : {}),
          columns,
        };
      }
      return out;
    },
  };
}
