// records → per-variant summary. Pure, one pass over the records (which may come straight
// from results.ndjson), keeping only numbers per metric, not the records themselves.
//
// Formulas (times from the record, all in ms on one clock; latency metrics over `ok`
// measured requests only, warmup excluded):
//   ttftMs          firstTokenMs - sentMs                 (streaming modes)
//   e2eMs           endMs - sentMs
//   e2eFromScheduledMs endMs - scheduledMs                 (includes podbench's own lateness)
//   tpotMs          (lastTokenMs - firstTokenMs) / (outputTokens - tokens in the first chunk)
//                   decode time per token after the first chunk (chunked streams deliver
//                   several tokens at once, so "minus one" would be wrong)
//   chunkGapMs      time between consecutive chunks of a request (all requests pooled)
//   chunkTokens     tokens per chunk (all chunks pooled)
//   delayMs, executionMs   as the server reported them
//   overheadMs      e2eMs - delayMs - executionMs          (gateway, network and polling)
//   sendLagMs       sentMs - scheduledMs                   (every sent request, any outcome)
//   throughput      ok requests (and their tokens) / window, window = first measured
//                   scheduledMs to last measured endMs
//   notMeasured     metrics the target cannot give, and why: no token times where a stream
//                   came whole (records marked streamedWhole), no server times where the
//                   target reports none (run.json's target kind: runpod-local, openai)
//   throughput.steady  the same without the ramp-up and the drain (./steady-throughput.ts),
//                   with its 95% interval: what a capacity sweep reads
//   warm, cold      the same metrics over the requests the cold-start rule classified warm
//                   or cold (needs server timing). Classification needs every pickup of the
//                   variant first, so each sample keeps its request's seq until finish().
import type { Outcome, RequestRecord, TokenSource, WorkerFormat } from '../core/record.js';
import { tableLoad, type TableLoad } from './request-table.js';
import { SteadyColumns, steadyThroughput } from './steady-throughput.js';
import {
  METRIC_NAMES,
  type ColdStartDistribution,
  type MetricName,
  type NotMeasuredReason,
  type NotSentCount,
  type NotSentReason,
  type RequestClassSummary,
  type RunMeta,
  type VariantSummary,
} from '../core/summary.js';
import { DEFAULT_COLD_START_RULE } from '../core/cold-start-rule.js';
import { classifyColdStarts, PickupColumns, pickupFacts, type PickupFacts } from './cold-start.js';
import { RequestSamples } from './request-samples.js';
import { meetsSlos, type RequestSlo } from './goodput.js';
import type { Distribution } from '../core/distribution.js';
import type { LoopDelay, RunVariantMeta } from '../core/summary.js';
import { EMPTY_DISTRIBUTION, quantile, sortedSamples } from './percentiles.js';

/**
 * podbench is "behind" when the p99 send lag passes this: a few requests delayed by a GC
 * pause are noise; one in a hundred going out 10 ms late is not, next to LLM latencies.
 */
const BEHIND_P99_MS = 10;
/**
 * ...and more than one request was that late: in a run of under a hundred requests the p99
 * is about the slowest one, and a single hiccup (the first request's start-up) is no verdict.
 */
const BEHIND_MIN_LATE = 2;
/** Late sequence numbers kept per variant: past this many late requests the run is behind anyway. */
const LATE_SEQS_KEPT = 10_000;
/** podbench's own event loop late by more than this at p99: its times are less precise than the 2 ms it aims for. */
const CLIENT_BUSY_P99_MS = 2;
/** A client delay worth a warning: its p99 is at least this share of the latency it distorts. */
const CLIENT_SIGNIFICANT_SHARE = 0.1;
/** Under a second of samples (5 ms apart), one hiccup (a first compile, a GC) is the p99: no verdict. */
const CLIENT_BUSY_MIN_SAMPLES = 200;

interface Accumulator {
  samples: RequestSamples;
  scheduled: number;
  sent: number;
  ok: number;
  warmup: number;
  retries: number;
  requestsRetried: number;
  lateOver1ms: number;
  /** Requests sent more than BEHIND_P99_MS after they were due. */
  lateBehind: number;
  /** Their sequence numbers (the first LATE_SEQS_KEPT), to tell the run's first wave from the rest. */
  lateBehindSeqs: number[];
  /** The lowest sequence number sent in the measured phase. */
  firstSeq: number;
  byOutcome: Partial<Record<Outcome, number>>;
  httpStatus: Record<string, number>;
  examples: Map<Outcome, string>;
  tokenSources: Partial<Record<TokenSource, number>>;
  workerFormats: Partial<Record<WorkerFormat, number>>;
  windowStartMs: number;
  windowEndMs: number;
  outputTokens: number;
  totalTokens: number;
  /** Every job with server timing (warmup too: it warms workers), for the cold-start rule; the measured ones give the delays. */
  pickups: PickupColumns;
  /** Records whose stream arrived whole (no token times). */
  streamedWhole: number;
  notSentByReason: Partial<Record<NotSentReason, number>>;
  /** Requests that met every per-request SLO, and their output tokens (goodput). */
  sloMet: number;
  sloMetOutputTokens: number;
  /** Sent measured requests as the steady-throughput window needs them. */
  steady: SteadyColumns;
}

function newAccumulator(): Accumulator {
  return {
    samples: new RequestSamples(),
    scheduled: 0,
    sent: 0,
    ok: 0,
    warmup: 0,
    retries: 0,
    requestsRetried: 0,
    lateOver1ms: 0,
    lateBehind: 0,
    lateBehindSeqs: [],
    firstSeq: Number.POSITIVE_INFINITY,
    byOutcome: {},
    httpStatus: {},
    examples: new Map(),
    tokenSources: {},
    workerFormats: {},
    windowStartMs: Number.POSITIVE_INFINITY,
    windowEndMs: Number.NEGATIVE_INFINITY,
    outputTokens: 0,
    totalTokens: 0,
    pickups: new PickupColumns(),
    streamedWhole: 0,
    notSentByReason: {},
    sloMet: 0,
    sloMetOutputTokens: 0,
    steady: new SteadyColumns(),
  };
}

export interface Summarizer {
  add(record: RequestRecord): void;
  /**
   * Also every job with server timing (for billing estimates) and the cold ones among them.
   * `released`: called each time a variant's columns are let go (with its request count),
   * before the next variant's sorts: a caller that can collect garbage then keeps a
   * report's peak memory down. `classified`: called with the cold requests once every
   * variant is classified, before any distribution is sorted (the longest part of finishing),
   * so work that waits only for the verdicts can start meanwhile.
   */
  finish(
    released?: (requests: number) => void,
    classified?: (coldSeqs: ReadonlySet<number>) => void,
  ): {
    variants: VariantSummary[];
    coldSeqs: Set<number>;
    pickups: PickupFacts[];
  };
}

/** `slos`: the run's per-request SLOs (src/metrics/goodput.ts); with any, each variant gets its goodput. */
export function createSummarizer(variants: RunMeta['variants'], slos: readonly RequestSlo[] = []): Summarizer {
  const accumulators = new Map<string, Accumulator>(variants.map((v) => [v.name, newAccumulator()]));
  return {
    add(record) {
      let acc = accumulators.get(record.variant);
      if (!acc) {
        // A record of a variant run.json does not list (a hand-edited file): keep it visible.
        acc = newAccumulator();
        accumulators.set(record.variant, acc);
      }
      addRecord(acc, record);
      if (slos.length > 0 && record.phase === 'measure' && meetsSlos(record, slos)) {
        acc.sloMet += 1;
        acc.sloMetOutputTokens += record.outputTokens ?? 0;
      }
    },
    finish(released, classified) {
      // Requests that were never sent are counted in run.json, not listed as records.
      for (const meta of variants) {
        const acc = accumulators.get(meta.name);
        if (acc) for (const unsent of meta.notSent ?? []) addNotSent(acc, unsent);
      }
      const coldSeqs = new Set<number>();
      const colds = [...accumulators.entries()].map(([name, acc]) => {
        const meta = variants.find((v) => v.name === name);
        const cold = classifyColdStarts(acc.pickups, meta?.coldStartRule ?? DEFAULT_COLD_START_RULE);
        for (const seq of cold) coldSeqs.add(seq);
        return cold;
      });
      classified?.(coldSeqs);
      const summaries = [...accumulators.entries()].map(([name, acc], i) => {
        const meta = variants.find((v) => v.name === name);
        const summary = finishVariant(name, meta, acc, colds[i] as Set<number>, slos);
        // Its columns are summarized: let them go before the next variant's sorts, so a
        // million-record report does not hold every variant's values and their sorted
        // copies at once (its peak RSS). The pickups stay: the findings may read them.
        const requests = acc.samples.requests;
        acc.samples = new RequestSamples();
        acc.steady = new SteadyColumns();
        released?.(requests);
        return summary;
      });
      return {
        variants: summaries,
        coldSeqs,
        // Built when asked for (a run's cost): a million jobs as objects only if they are needed.
        get pickups() {
          return [...accumulators.entries()].flatMap(([variant, acc]) =>
            Array.from({ length: acc.pickups.length }, (_, i) => ({ ...acc.pickups.at(i), variant })),
          );
        },
      };
    },
  };
}

export function summarizeRecords(
  records: Iterable<RequestRecord>,
  variants: RunMeta['variants'],
  slos: readonly RequestSlo[] = [],
): VariantSummary[] {
  const summarizer = createSummarizer(variants, slos);
  for (const record of records) summarizer.add(record);
  return summarizer.finish().variants;
}

function bump<K extends string>(map: Partial<Record<K, number>>, key: K): void {
  map[key] = (map[key] ?? 0) + 1;
}

function addNotSent(acc: Accumulator, unsent: NotSentCount): void {
  if (!Number.isFinite(unsent.count) || unsent.count <= 0) return;
  if (unsent.phase === 'warmup') {
    acc.warmup += unsent.count;
    return;
  }
  acc.scheduled += unsent.count;
  acc.byOutcome.not_sent = (acc.byOutcome.not_sent ?? 0) + unsent.count;
  acc.notSentByReason[unsent.reason] = (acc.notSentByReason[unsent.reason] ?? 0) + unsent.count;
}

function addRecord(acc: Accumulator, r: RequestRecord): void {
  const facts = pickupFacts(r);
  if (facts) acc.pickups.push(facts, r.sentMs as number, r.phase !== 'warmup');
  if (r.phase === 'warmup') {
    acc.warmup += 1;
    return;
  }
  const s = acc.samples;
  acc.scheduled += 1;
  bump(acc.byOutcome, r.outcome);
  if (r.outcome !== 'ok' && !acc.examples.has(r.outcome)) acc.examples.set(r.outcome, r.error ?? r.outcome);
  if (r.outcome === 'http_error' && r.httpStatus !== undefined) bump(acc.httpStatus, String(r.httpStatus));
  if (r.sentMs === undefined) return; // not sent: counted, nothing measured
  acc.sent += 1;
  acc.retries += r.retries;
  if (r.retries > 0) acc.requestsRetried += 1;
  const lag = r.sentMs - r.scheduledMs;
  s.begin(r.seq);
  s.set('sendLagMs', lag);
  if (lag > 1) acc.lateOver1ms += 1;
  if (lag > BEHIND_P99_MS) {
    acc.lateBehind += 1;
    if (acc.lateBehindSeqs.length < LATE_SEQS_KEPT) acc.lateBehindSeqs.push(r.seq);
  }
  if (r.seq < acc.firstSeq) acc.firstSeq = r.seq;
  acc.windowStartMs = Math.min(acc.windowStartMs, r.scheduledMs);
  acc.windowEndMs = Math.max(acc.windowEndMs, r.endMs);
  s.set('polls', r.polls);
  // Aborted requests did not finish: their end is the run's cut, not a completion.
  if (r.outcome !== 'aborted')
    acc.steady.push({
      scheduledMs: r.scheduledMs,
      sentMs: r.sentMs,
      endMs: r.endMs,
      ok: r.outcome === 'ok',
      outputTokens: r.outputTokens ?? 0,
    });
  if (r.outcome !== 'ok') return;

  acc.ok += 1;
  if (r.streamedWhole) acc.streamedWhole += 1;
  bump(acc.tokenSources, r.tokenSource);
  if (r.workerFormat) bump(acc.workerFormats, r.workerFormat);
  const e2e = r.endMs - r.sentMs;
  s.set('e2eMs', e2e);
  s.set('e2eFromScheduledMs', r.endMs - r.scheduledMs);
  if (r.firstTokenMs !== undefined) s.set('ttftMs', r.firstTokenMs - r.sentMs);
  if (r.ttftUncertaintyMs !== undefined) s.set('ttftUncertaintyMs', r.ttftUncertaintyMs);
  if (r.delayMs !== undefined) s.set('delayMs', r.delayMs);
  if (r.executionMs !== undefined) s.set('executionMs', r.executionMs);
  if (r.delayMs !== undefined && r.executionMs !== undefined) s.set('overheadMs', e2e - r.delayMs - r.executionMs);
  if (r.promptTokens !== undefined) s.set('promptTokens', r.promptTokens);
  if (r.outputTokens !== undefined) {
    s.set('outputTokens', r.outputTokens);
    acc.outputTokens += r.outputTokens;
    acc.totalTokens += r.outputTokens;
  }
  if (r.promptTokens !== undefined) acc.totalTokens += r.promptTokens;
  const chunks = r.chunks ?? [];
  for (const [atMs, tokens] of chunks) s.chunk(tokens, atMs);
  const first = chunks[0];
  if (first && r.firstTokenMs !== undefined && r.lastTokenMs !== undefined && r.outputTokens !== undefined) {
    const after = r.outputTokens - first[1];
    if (after > 0) s.set('tpotMs', (r.lastTokenMs - r.firstTokenMs) / after);
  }
}

function coldDistribution(values: number[]): ColdStartDistribution {
  const sorted = sortedSamples(values);
  const q = (p: number) => quantile(sorted, p) ?? null;
  return {
    count: sorted.length,
    p50: q(0.5),
    p70: q(0.7),
    p90: q(0.9),
    p98: q(0.98),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : null,
  };
}

/**
 * A class's distributions. When the class holds every sample of a metric (no cold start, all
 * requests timed: the common case), it reuses that metric's distribution instead of sorting
 * the same numbers again. A class of every request or of none (the cold class of most runs)
 * is known from the classes alone: each metric is then all's, or empty, without counting
 * (or copying) a million-request run's columns once per metric for it.
 */
function classSummary(
  acc: Accumulator,
  all: Record<MetricName, Distribution>,
  classes: Uint8Array,
  wanted: number,
): RequestClassSummary {
  const keep = classes.map((c) => (c === wanted ? 1 : 0));
  let kept = 0;
  for (let k = 0; k < keep.length; k++) kept += keep[k] as number;
  const metrics = {} as Record<MetricName, Distribution>;
  for (const metric of METRIC_NAMES) {
    if (kept === keep.length) metrics[metric] = all[metric];
    else if (kept === 0) metrics[metric] = EMPTY_DISTRIBUTION;
    else
      metrics[metric] =
        acc.samples.count(metric, keep) === all[metric].count ? all[metric] : acc.samples.distribution(metric, keep);
  }
  return { ok: metrics.e2eMs.count, metrics };
}

const WARM = 1;
const COLD = 2;

/**
 * The measured jobs with server timing, each seq once with its (last) delay, as a map by seq
 * kept them: in the order their seqs first came. Seqs are unique in what podbench writes,
 * so the usual case is the columns as they are.
 */
function measuredDelays(acc: Accumulator): { seqs: Float64Array; delays: Float64Array } {
  const p = acc.pickups;
  const seqs: number[] = [];
  const delays: number[] = [];
  let increasing = true;
  for (let i = 0; i < p.length; i++) {
    if (p.measured.get(i) !== 1) continue;
    const seq = p.seq.get(i);
    if (seqs.length > 0 && !(seq > (seqs[seqs.length - 1] as number))) increasing = false;
    seqs.push(seq);
    delays.push(p.delayMs.get(i));
  }
  if (increasing) return { seqs: Float64Array.from(seqs), delays: Float64Array.from(delays) };
  const bySeq = new Map<number, number>();
  for (let i = 0; i < seqs.length; i++) bySeq.set(seqs[i] as number, delays[i] as number);
  return { seqs: Float64Array.from(bySeq.keys()), delays: Float64Array.from(bySeq.values()) };
}

/** Each sampled request's class (in RequestSamples order): 0 without server timing, WARM or COLD. */
function requestClasses(acc: Accumulator, measured: Float64Array, cold: Set<number>): Uint8Array {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const seq of measured) {
    if (seq < first) first = seq;
    if (seq > last) last = seq;
  }
  const out = new Uint8Array(acc.samples.requests);
  if (first > last) return out;
  const bySeq = new Uint8Array(last - first + 1);
  for (const seq of measured) bySeq[seq - first] = cold.has(seq) ? COLD : WARM;
  for (let k = 0; k < out.length; k++) out[k] = bySeq[acc.samples.seqAt(k) - first] ?? 0;
  return out;
}

function finishVariant(
  name: string,
  meta: RunMeta['variants'][number] | undefined,
  acc: Accumulator,
  cold: Set<number>,
  slos: readonly RequestSlo[],
): VariantSummary {
  const measured = measuredDelays(acc);
  const classes = requestClasses(acc, measured.seqs, cold);
  const load = tableLoad(meta?.effective?.load as Record<string, unknown> | undefined);
  const metrics = {} as Record<MetricName, Distribution>;
  for (const metric of METRIC_NAMES) metrics[metric] = acc.samples.distribution(metric);
  const windowMs = acc.sent > 0 ? Math.max(0, acc.windowEndMs - acc.windowStartMs) : 0;
  const perSec = (count: number) => (windowMs > 0 ? (count * 1000) / windowMs : null);
  const coldDelays: number[] = [];
  const warmDelays: number[] = [];
  for (let i = 0; i < measured.seqs.length; i++)
    (cold.has(measured.seqs[i] as number) ? coldDelays : warmDelays).push(measured.delays[i] as number);
  const timed = coldDelays.length + warmDelays.length;
  const lateShare = acc.sent > 0 ? acc.lateOver1ms / acc.sent : null;
  const aborted = acc.byOutcome.aborted ?? 0;
  return {
    name,
    params: meta?.params ?? {},
    mode: meta?.mode ?? 'sync',
    counts: {
      scheduled: acc.scheduled,
      sent: acc.sent,
      ok: acc.ok,
      failed: acc.sent - acc.ok - aborted,
      // Requests the run itself cut short (aborted on interrupt) are neither the endpoint's successes nor its failures.
      errorRate: acc.sent - aborted > 0 ? (acc.sent - acc.ok - aborted) / (acc.sent - aborted) : null,
      byOutcome: acc.byOutcome,
      httpStatus: acc.httpStatus,
      warmup: acc.warmup,
      retries: acc.retries,
      requestsRetried: acc.requestsRetried,
      ...(Object.keys(acc.notSentByReason).length > 0 ? { notSentByReason: acc.notSentByReason } : {}),
    },
    metrics,
    throughput: {
      windowMs,
      ...(acc.sent > 0 ? { windowStartMs: acc.windowStartMs } : {}),
      requestsPerSec: perSec(acc.ok),
      outputTokensPerSec: perSec(acc.outputTokens),
      totalTokensPerSec: perSec(acc.totalTokens),
      ...steadyField(acc, load),
    },
    coldStarts: {
      count: coldDelays.length,
      share: timed > 0 ? coldDelays.length / timed : null,
      delayMs: { cold: coldDistribution(coldDelays), warm: coldDistribution(warmDelays) },
    },
    sendLag: {
      lateOver1msShare: lateShare,
      behind: (metrics.sendLagMs.p99 ?? 0) > BEHIND_P99_MS && lateAfterFirstWave(acc, load) >= BEHIND_MIN_LATE,
    },
    ...(meta?.clientLoopDelayMs
      ? {
          clientLoopDelay: loopDelayOf(meta.clientLoopDelayMs, metrics, meta.clientThreads, load),
        }
      : {}),
    tokenSources: acc.tokenSources,
    workerFormats: acc.workerFormats,
    errors: [...acc.examples.entries()].map(([outcome, example]) => ({
      outcome,
      count: acc.byOutcome[outcome] ?? 0,
      example,
    })),
    ...notMeasured(meta, acc),
    warm: classSummary(acc, metrics, classes, WARM),
    cold: classSummary(acc, metrics, classes, COLD),
    ...(slos.length > 0
      ? {
          goodput: {
            slo: slos.map((s) => s.text),
            met: acc.sloMet,
            // Of the requests the endpoint had a chance to answer (as errorRate: aborted ones count neither way).
            share: acc.sent - aborted > 0 ? acc.sloMet / (acc.sent - aborted) : null,
            requestsPerSec: perSec(acc.sloMet),
            outputTokensPerSec: perSec(acc.sloMetOutputTokens),
          },
        }
      : {}),
  };
}

const TOKEN_TIMING: readonly MetricName[] = ['ttftMs', 'ttftUncertaintyMs', 'tpotMs', 'chunkGapMs', 'chunkTokens'];
const SERVER_TIMING: readonly MetricName[] = ['delayMs', 'executionMs', 'overheadMs'];

function notMeasured(
  meta: RunMeta['variants'][number] | undefined,
  acc: Accumulator,
): Pick<VariantSummary, 'notMeasured'> {
  const out: Partial<Record<MetricName, NotMeasuredReason>> = {};
  if (acc.streamedWhole > 0) for (const metric of TOKEN_TIMING) out[metric] = 'whole-answer';
  const api = meta?.target?.api;
  if (api === 'runpod-local' || api === 'openai') for (const metric of SERVER_TIMING) out[metric] = 'no-server-timing';
  return Object.keys(out).length > 0 ? { notMeasured: out } : {};
}

/** How late podbench's loop ran, and whether that matters against what was measured. */
function loopDelayOf(
  ms: LoopDelay,
  metrics: Record<MetricName, Distribution>,
  threads: RunVariantMeta['clientThreads'],
  load: TableLoad,
): NonNullable<VariantSummary['clientLoopDelay']> {
  const busy = ms.p99 > CLIENT_BUSY_P99_MS && (ms.samples ?? Number.POSITIVE_INFINITY) >= CLIENT_BUSY_MIN_SAMPLES;
  const [name, reference] =
    metrics.ttftMs.p50 !== null ? ['TTFT p50', metrics.ttftMs.p50] : ['E2E p50', metrics.e2eMs.p50];
  const share = reference !== null && reference > 0 ? Math.round((ms.p99 / reference) * 10_000) / 10_000 : null;
  const significant = busy && (share === null || share >= CLIENT_SIGNIFICANT_SHARE);
  const count = threads?.count ?? 1;
  return {
    ms,
    busy,
    share,
    against: reference !== null ? `${name} (${Math.round(reference)} ms)` : 'nothing measured',
    significant,
    threads: count,
    ...(threads && threads.loopDelayMs.length > 1 ? { perThreadMs: threads.loopDelayMs } : {}),
    // A burst's delay grows with the answers one loop time-stamps: spread over more threads
    // (or machines), each takes its share. So the p99 delay shrinks about in proportion, but
    // no further than one request a thread: a closed loop of 4 has no use for a fifth.
    ...(significant ? neededThreadsOf(Math.ceil((count * ms.p99) / CLIENT_BUSY_P99_MS), load) : {}),
  };
}

function neededThreadsOf(needed: number, load: TableLoad): { neededThreads: number; inFlightCap?: number } {
  if (load.model !== 'closed' || needed <= load.concurrency) return { neededThreads: needed };
  return { neededThreads: load.concurrency, inFlightCap: load.concurrency };
}

/**
 * Late requests other than the run's first wave. Without a warmup, each user of a closed loop
 * (the first request of an open one) sends its first request while connections are being
 * opened: that lag is the connection's set-up (a TCP and TLS handshake), in sendLagMs like any
 * other, but no sign that podbench could not keep its schedule, which "behind" warns about.
 */
function lateAfterFirstWave(acc: Accumulator, load: TableLoad): number {
  if (acc.warmup > 0) return acc.lateBehind;
  const wave = load.model === 'closed' ? load.concurrency : 1;
  let inWave = 0;
  for (const seq of acc.lateBehindSeqs) if (seq < acc.firstSeq + wave) inWave += 1;
  return acc.lateBehind - inWave;
}

function steadyField(acc: Accumulator, load: TableLoad) {
  const steady = steadyThroughput(acc.steady, load);
  return steady ? { steady } : {};
}
