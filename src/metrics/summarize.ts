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
import { tableLoad } from './request-table.js';
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
import { classifyColdStarts, pickupFacts, type PickupFacts } from './cold-start.js';
import { meetsSlos, type RequestSlo } from './goodput.js';
import type { Distribution } from '../core/distribution.js';
import type { LoopDelay, RunVariantMeta } from '../core/summary.js';
import { IntBuffer, SampleBuffer, distribution, quantile, sortedSamples } from './percentiles.js';

/**
 * podbench is "behind" when the p99 send lag passes this: a few requests delayed by a GC
 * pause are noise; one in a hundred going out 10 ms late is not, next to LLM latencies.
 */
const BEHIND_P99_MS = 10;
/** podbench's own event loop late by more than this at p99: its times are less precise than the 2 ms it aims for. */
const CLIENT_BUSY_P99_MS = 2;
/** A client delay worth a warning: its p99 is at least this share of the latency it distorts. */
const CLIENT_SIGNIFICANT_SHARE = 0.1;
/** Under a second of samples (5 ms apart), one hiccup (a first compile, a GC) is the p99: no verdict. */
const CLIENT_BUSY_MIN_SAMPLES = 200;

/** A metric's samples, each with the seq of the request it came from. */
class TaggedSamples {
  private readonly data = new SampleBuffer();
  private readonly seqs = new IntBuffer();

  push(value: number, seq: number): void {
    this.data.push(value);
    this.seqs.push(seq);
  }

  values(): Float64Array {
    return this.data.values();
  }

  /** The samples of the requests whose class (classes[seq - firstSeq]) is `wanted`. */
  where(classes: Uint8Array, firstSeq: number, wanted: number): Float64Array {
    const values = this.data.values();
    const seqs = this.seqs.values();
    const out = new SampleBuffer();
    for (let i = 0; i < values.length; i++)
      if (classes[(seqs[i] as number) - firstSeq] === wanted) out.push(values[i] as number);
    return out.values();
  }
}

interface Accumulator {
  samples: Record<MetricName, TaggedSamples>;
  scheduled: number;
  sent: number;
  ok: number;
  warmup: number;
  retries: number;
  requestsRetried: number;
  lateOver1ms: number;
  byOutcome: Partial<Record<Outcome, number>>;
  httpStatus: Record<string, number>;
  examples: Map<Outcome, string>;
  tokenSources: Partial<Record<TokenSource, number>>;
  workerFormats: Partial<Record<WorkerFormat, number>>;
  windowStartMs: number;
  windowEndMs: number;
  outputTokens: number;
  totalTokens: number;
  /** Every job with server timing (warmup too: it warms workers), for the cold-start rule. */
  pickups: PickupFacts[];
  measuredDelay: Map<number, number>;
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
  const samples = {} as Record<MetricName, TaggedSamples>;
  for (const name of METRIC_NAMES) samples[name] = new TaggedSamples();
  return {
    samples,
    scheduled: 0,
    sent: 0,
    ok: 0,
    warmup: 0,
    retries: 0,
    requestsRetried: 0,
    lateOver1ms: 0,
    byOutcome: {},
    httpStatus: {},
    examples: new Map(),
    tokenSources: {},
    workerFormats: {},
    windowStartMs: Number.POSITIVE_INFINITY,
    windowEndMs: Number.NEGATIVE_INFINITY,
    outputTokens: 0,
    totalTokens: 0,
    pickups: [],
    measuredDelay: new Map(),
    streamedWhole: 0,
    notSentByReason: {},
    sloMet: 0,
    sloMetOutputTokens: 0,
    steady: new SteadyColumns(),
  };
}

export interface Summarizer {
  add(record: RequestRecord): void;
  /** Also every job with server timing (for billing estimates) and the cold ones among them. */
  finish(): { variants: VariantSummary[]; coldSeqs: Set<number>; pickups: PickupFacts[] };
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
    finish() {
      // Requests that were never sent are counted in run.json, not listed as records.
      for (const meta of variants) {
        const acc = accumulators.get(meta.name);
        if (acc) for (const unsent of meta.notSent ?? []) addNotSent(acc, unsent);
      }
      const coldSeqs = new Set<number>();
      const summaries = [...accumulators.entries()].map(([name, acc]) => {
        const meta = variants.find((v) => v.name === name);
        const cold = classifyColdStarts(acc.pickups, meta?.coldStartRule ?? DEFAULT_COLD_START_RULE);
        for (const seq of cold) coldSeqs.add(seq);
        return finishVariant(name, meta, acc, cold, slos);
      });
      return {
        variants: summaries,
        coldSeqs,
        pickups: [...accumulators.entries()].flatMap(([variant, acc]) => acc.pickups.map((p) => ({ ...p, variant }))),
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
  if (facts) acc.pickups.push(facts);
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
  s.sendLagMs.push(lag, r.seq);
  if (lag > 1) acc.lateOver1ms += 1;
  acc.windowStartMs = Math.min(acc.windowStartMs, r.scheduledMs);
  acc.windowEndMs = Math.max(acc.windowEndMs, r.endMs);
  s.polls.push(r.polls, r.seq);
  if (facts) acc.measuredDelay.set(r.seq, facts.delayMs);
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
  s.e2eMs.push(e2e, r.seq);
  s.e2eFromScheduledMs.push(r.endMs - r.scheduledMs, r.seq);
  if (r.firstTokenMs !== undefined) s.ttftMs.push(r.firstTokenMs - r.sentMs, r.seq);
  if (r.ttftUncertaintyMs !== undefined) s.ttftUncertaintyMs.push(r.ttftUncertaintyMs, r.seq);
  if (r.delayMs !== undefined) s.delayMs.push(r.delayMs, r.seq);
  if (r.executionMs !== undefined) s.executionMs.push(r.executionMs, r.seq);
  if (r.delayMs !== undefined && r.executionMs !== undefined) s.overheadMs.push(e2e - r.delayMs - r.executionMs, r.seq);
  if (r.promptTokens !== undefined) s.promptTokens.push(r.promptTokens, r.seq);
  if (r.outputTokens !== undefined) {
    s.outputTokens.push(r.outputTokens, r.seq);
    acc.outputTokens += r.outputTokens;
    acc.totalTokens += r.outputTokens;
  }
  if (r.promptTokens !== undefined) acc.totalTokens += r.promptTokens;
  const chunks = r.chunks ?? [];
  for (let i = 0; i < chunks.length; i++) {
    const [atMs, tokens] = chunks[i] as [number, number];
    s.chunkTokens.push(tokens, r.seq);
    if (i > 0) s.chunkGapMs.push(atMs - (chunks[i - 1] as [number, number])[0], r.seq);
  }
  const first = chunks[0];
  if (first && r.firstTokenMs !== undefined && r.lastTokenMs !== undefined && r.outputTokens !== undefined) {
    const after = r.outputTokens - first[1];
    if (after > 0) s.tpotMs.push((r.lastTokenMs - r.firstTokenMs) / after, r.seq);
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
 * the same numbers again.
 */
function classSummary(
  acc: Accumulator,
  all: Record<MetricName, Distribution>,
  classes: RequestClasses,
  wanted: number,
): RequestClassSummary {
  const metrics = {} as Record<MetricName, Distribution>;
  for (const metric of METRIC_NAMES) {
    const values = acc.samples[metric].where(classes.bySeq, classes.firstSeq, wanted);
    metrics[metric] = values.length === all[metric].count ? all[metric] : distribution(values);
  }
  return { ok: metrics.e2eMs.count, metrics };
}

const WARM = 1;
const COLD = 2;

/** Each measured request's class by seq: 0 without server timing, WARM or COLD. */
interface RequestClasses {
  firstSeq: number;
  bySeq: Uint8Array;
}

function requestClasses(acc: Accumulator, cold: Set<number>): RequestClasses {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const seq of acc.measuredDelay.keys()) {
    if (seq < first) first = seq;
    if (seq > last) last = seq;
  }
  if (first > last) return { firstSeq: 0, bySeq: new Uint8Array(0) };
  const bySeq = new Uint8Array(last - first + 1);
  for (const seq of acc.measuredDelay.keys()) bySeq[seq - first] = cold.has(seq) ? COLD : WARM;
  return { firstSeq: first, bySeq };
}

function finishVariant(
  name: string,
  meta: RunMeta['variants'][number] | undefined,
  acc: Accumulator,
  cold: Set<number>,
  slos: readonly RequestSlo[],
): VariantSummary {
  const classes = requestClasses(acc, cold);
  const metrics = {} as Record<MetricName, ReturnType<typeof distribution>>;
  for (const metric of METRIC_NAMES) metrics[metric] = distribution(acc.samples[metric].values());
  const windowMs = acc.sent > 0 ? Math.max(0, acc.windowEndMs - acc.windowStartMs) : 0;
  const perSec = (count: number) => (windowMs > 0 ? (count * 1000) / windowMs : null);
  const coldDelays: number[] = [];
  const warmDelays: number[] = [];
  for (const [seq, delay] of acc.measuredDelay) (cold.has(seq) ? coldDelays : warmDelays).push(delay);
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
      ...steadyField(acc, meta),
    },
    coldStarts: {
      count: coldDelays.length,
      share: timed > 0 ? coldDelays.length / timed : null,
      delayMs: { cold: coldDistribution(coldDelays), warm: coldDistribution(warmDelays) },
    },
    sendLag: { lateOver1msShare: lateShare, behind: (metrics.sendLagMs.p99 ?? 0) > BEHIND_P99_MS },
    ...(meta?.clientLoopDelayMs
      ? { clientLoopDelay: loopDelayOf(meta.clientLoopDelayMs, metrics, meta.clientThreads) }
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
    // (or machines), each takes its share. So the p99 delay shrinks about in proportion.
    ...(significant ? { neededThreads: Math.ceil((count * ms.p99) / CLIENT_BUSY_P99_MS) } : {}),
  };
}

function steadyField(acc: Accumulator, meta: RunMeta['variants'][number] | undefined) {
  const load = tableLoad(meta?.effective?.load as Record<string, unknown> | undefined);
  const steady = steadyThroughput(acc.steady, load);
  return steady ? { steady } : {};
}
