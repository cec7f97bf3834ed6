// records + health samples → the data report.html embeds (types.ts). Pure and streaming:
// each record and each health line is seen once, and memory is bounded whatever the run's
// size (fixed-size samples, fixed windows), so a 1,000,000-request run costs what a
// 100,000-request one does. The cold-start verdicts (summarizer.finish().coldSeqs) need every
// job of a variant first, so the collector either gets them up front (`coldSeqs`: a second
// pass after the summarizer) or is fed in the summarizer's own pass and gets them at finish
// (`mayBeCold`): a job that cannot be cold (it waited less than its rule's threshold) is
// placed at once, the few that may be wait, in a few numbers each, for the verdicts, and
// the timeline's cold marks are set at finish. Both ways draw the same page when no sample
// overflows; past that, the waiting jobs draw from the seeded random source after the rest.
//
// How each view stays bounded (limits below, all overridable for tests):
//   CDFs            a uniform random sample (Algorithm R, seeded) of at most cdfSample values
//                   per variant and curve, read at a fixed probability grid (cdf.ts); counts
//                   (tokens per chunk, polls) are exact, one entry per distinct value (counts.ts)
//   over time       at most maxWindows windows (windows.ts); p50s from windowSample values
//   timeline        a uniform random sample of timelineBars requests
//   cold starts     at most coldPoints cold and warmPoints warm jobs per variant
// Every sampled view adds a sentence to `downsampled`, which the page prints.
import type { HealthSample } from '../../core/health.js';
import type { RequestRecord } from '../../core/record.js';
import type { VariantSummary } from '../../core/summary.js';
import { SampleBuffer } from '../../metrics/percentiles.js';
import { createRng } from '../../util/rng.js';
import { cdfOf, CDF_GRID, round3 } from './cdf.js';
import { createValueCounter, MAX_DISCRETE_POINTS, type ValueCounter } from './counts.js';
import { createHealthCollector } from './health.js';
import { numericAxis, numericParam } from './numeric-axis.js';
import { createNumberReservoir, createReservoir, type NumberReservoir, type Reservoir } from './reservoir.js';
import { createTimeSeries } from './time-series.js';
import {
  REPORT_DATA_VERSION,
  TIMELINE_FLAGS,
  type Cdf,
  type DelayPoint,
  type DiscreteCdf,
  type ReportData,
  type ServerSplit,
  type TimelineBar,
} from './types.js';
import { timeWindows } from './windows.js';

export interface CollectLimits {
  cdfSample: number;
  windowSample: number;
  maxWindows: number;
  timelineBars: number;
  coldPoints: number;
  warmPoints: number;
}

/** Sized so a run of any size gives a page of a few hundred kB that draws in well under a second. */
export const DEFAULT_LIMITS: CollectLimits = {
  cdfSample: 20_000,
  windowSample: 200,
  maxWindows: 100,
  timelineBars: 3000,
  coldPoints: 2000,
  warmPoints: 1000,
};

export interface CollectorOptions {
  /** Variant names in summary.json order; a record of another variant is appended. */
  variants: readonly string[];
  /** The run's extent in ms from its start (last record end or run duration, whichever is later). */
  spanMs: number;
  /** The cold requests, when known before the records are fed (else pass `mayBeCold` and give them to finish). */
  coldSeqs?: ReadonlySet<number>;
  /** Whether the cold-start rule could call this record cold (it waited at least the threshold); with finish's coldSeqs. */
  mayBeCold?: (record: RequestRecord) => boolean;
  /** Seeds the samples, so rebuilding a report gives the same file. */
  seed: number;
  limits?: Partial<CollectLimits>;
}

export interface ReportCollector {
  addRecord(record: RequestRecord): void;
  addHealth(line: HealthSample): void;
  /** `coldSeqs`: the verdicts, when they were not given up front. */
  finish(summaryVariants: readonly VariantSummary[], coldSeqs?: ReadonlySet<number>): ReportData;
}

const CURVES = ['ttftMs', 'e2eMs', 'chunkGapMs', 'warmTtftMs', 'warmE2eMs'] as const;
type Curve = (typeof CURVES)[number];
const CURVE_LABELS: Record<Curve, string> = {
  ttftMs: 'TTFT',
  e2eMs: 'E2E',
  chunkGapMs: 'chunk gaps',
  warmTtftMs: 'warm TTFT',
  warmE2eMs: 'warm E2E',
};

interface VariantState {
  curves: Record<Curve, NumberReservoir>;
  chunkTokens: ValueCounter;
  polls: ValueCounter;
  split: { count: number; delayMs: number; executionMs: number; overheadMs: number; e2eMs: number };
  cold: Reservoir<DelayPoint>;
  warm: Reservoir<DelayPoint>;
}

const maybe3 = (ms: number | undefined) => (ms === undefined ? null : round3(ms));
/** A job the server timed (sentMs and delayMs set): when it was sent, and its delay. */
const delayPoint = (r: RequestRecord): DelayPoint => [round3(r.sentMs as number), round3(r.delayMs as number)];

export function createReportCollector(options: CollectorOptions): ReportCollector {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const random = createRng(options.seed).next;
  const names = [...options.variants];
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const states: VariantState[] = [];
  const windows = timeWindows(options.spanMs, limits.maxWindows);
  const series = createTimeSeries(windows, limits.windowSample, random);
  const health = createHealthCollector(windows);
  const timeline = createReservoir<{ seq: number; bar: TimelineBar }>(limits.timelineBars, random);
  const known = options.coldSeqs;
  const mayBeCold = options.mayBeCold ?? (() => true);
  /** Jobs whose cold-start verdict was not known when they were fed, in feeding order. */
  const waiting = new PendingJobs();

  const variantOf = (name: string): number => {
    let i = indexOf.get(name);
    if (i === undefined) {
      i = names.push(name) - 1;
      indexOf.set(name, i);
    }
    if (!states[i]) {
      const curves = {} as Record<Curve, NumberReservoir>;
      for (const curve of CURVES) curves[curve] = createNumberReservoir(limits.cdfSample, random);
      states[i] = {
        curves,
        chunkTokens: createValueCounter(),
        polls: createValueCounter(),
        split: { count: 0, delayMs: 0, executionMs: 0, overheadMs: 0, e2eMs: 0 },
        cold: createReservoir(limits.coldPoints, random),
        warm: createReservoir(limits.warmPoints, random),
      };
    }
    return i;
  };

  let lastVariant: string | undefined;
  let lastIndex = 0;
  return {
    addRecord(r) {
      // Runs of records of one variant: its index without a lookup by name each time.
      if (r.variant !== lastVariant) {
        lastVariant = r.variant;
        lastIndex = variantOf(r.variant);
      }
      const v = lastIndex;
      const state = states[v] as VariantState;
      // pickupFacts(r) without building them: the server timed the job (its delay is the point's).
      const facts = r.workerId !== undefined && r.delayMs !== undefined && r.sentMs !== undefined;
      // Only a job the server timed can be cold; undefined: the verdict comes at finish.
      const cold = known ? known.has(r.seq) : facts && mayBeCold(r) ? undefined : false;
      series.add(v, r);
      const flags =
        (r.phase === 'warmup' ? TIMELINE_FLAGS.warmup : 0) |
        (r.outcome !== 'ok' ? TIMELINE_FLAGS.error : 0) |
        (cold ? TIMELINE_FLAGS.cold : 0);
      // Samples draw first and build only what they keep: most records of a long run are not kept.
      const bar = timeline.slot();
      if (bar >= 0)
        timeline.put(bar, {
          seq: r.seq,
          bar: [v, round3(r.scheduledMs), maybe3(r.sentMs), maybe3(r.firstTokenMs), round3(r.endMs), flags],
        });
      const measured = r.phase === 'measure' && r.sentMs !== undefined;
      const ok = measured && r.outcome === 'ok';
      const e2eMs = ok ? r.endMs - (r.sentMs as number) : Number.NaN;
      const ttftMs = ok && r.firstTokenMs !== undefined ? r.firstTokenMs - (r.sentMs as number) : Number.NaN;
      if (facts) {
        if (cold === undefined) waiting.push(v, r.seq, delayPoint(r), e2eMs, ttftMs);
        else {
          const points = cold ? state.cold : state.warm;
          const slot = points.slot();
          if (slot >= 0) points.put(slot, delayPoint(r));
        }
      }

      if (!measured) return;
      state.polls.add(r.polls);
      if (!ok) return;
      state.curves.e2eMs.add(e2eMs);
      if (r.firstTokenMs !== undefined) state.curves.ttftMs.add(ttftMs);
      // Warm: the server timed it and the cold-start rule did not call it cold (summary.json's warm block).
      if (facts && cold === false) addWarm(state, e2eMs, ttftMs);
      const chunks = r.chunks ?? [];
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i] as [number, number];
        state.chunkTokens.add(chunk[1]);
        if (i > 0) state.curves.chunkGapMs.add(chunk[0] - (chunks[i - 1] as [number, number])[0]);
      }
      if (r.delayMs !== undefined && r.executionMs !== undefined) {
        const s = state.split;
        s.count += 1;
        s.delayMs += r.delayMs;
        s.executionMs += r.executionMs;
        s.overheadMs += e2eMs - r.delayMs - r.executionMs;
        s.e2eMs += e2eMs;
      }
    },
    addHealth(line) {
      health.add(line);
    },
    finish(summaryVariants, coldSeqs) {
      const cold = known ?? coldSeqs ?? new Set<number>();
      // The jobs that waited for their verdict, in the order they came.
      waiting.forEach((v, seq, point, e2eMs, ttftMs) => {
        const state = states[v] as VariantState;
        const isCold = cold.has(seq);
        (isCold ? state.cold : state.warm).add(point);
        if (!isCold && !Number.isNaN(e2eMs)) addWarm(state, e2eMs, ttftMs);
      });
      if (!known) for (const { seq, bar } of timeline.items()) if (cold.has(seq)) bar[5] |= TIMELINE_FLAGS.cold;
      for (const name of [...names, ...summaryVariants.map((v) => v.name)]) variantOf(name);
      // Display order: along the one numeric parameter the variants differ in, else as run.
      const order = displayOrder(names, summaryVariants);
      const position = new Map(order.map((stateIndex, shown) => [stateIndex, shown]));
      const ordered = <T>(list: readonly T[]): T[] => order.map((i) => list[i] as T);
      const shownStates = ordered(states);
      const shownNames = ordered(names);
      const curve = (name: Curve): Cdf[] => shownStates.map((s) => cdfOf(s.curves[name]));
      const bars = [...timeline.items()]
        .sort((a, b) => (a.bar[1] as number) - (b.bar[1] as number) || a.seq - b.seq)
        .map((b): TimelineBar => [position.get(b.bar[0]) ?? b.bar[0], ...b.bar.slice(1)] as TimelineBar);
      const byTime = (a: DelayPoint, b: DelayPoint) => a[0] - b[0] || a[1] - b[1];
      const chunkTokens = shownStates.map((s) => s.chunkTokens.finish());
      const polls = shownStates.map((s) => s.polls.finish());
      const overTime = series.finish(names.length);
      const bySummary = new Map(summaryVariants.map((v) => [v.name, v]));
      const summaryShown = shownNames.flatMap((name) => bySummary.get(name) ?? []);
      return {
        version: REPORT_DATA_VERSION,
        variants: shownNames,
        cdfGrid: [...CDF_GRID],
        distributions: { ttftMs: curve('ttftMs'), e2eMs: curve('e2eMs') },
        warmDistributions: cold.size > 0 ? { ttftMs: curve('warmTtftMs'), e2eMs: curve('warmE2eMs') } : null,
        overTime: {
          ...overTime,
          inFlight: ordered(overTime.inFlight),
          completionsPerSec: ordered(overTime.completionsPerSec),
          outputTokensPerSec: ordered(overTime.outputTokensPerSec),
          errorsPerSec: ordered(overTime.errorsPerSec),
          ttftP50Ms: ordered(overTime.ttftP50Ms),
          e2eP50Ms: ordered(overTime.e2eP50Ms),
        },
        health: health.finish(),
        timeline: { total: timeline.seen, bars },
        streaming: { chunkTokens, chunkGapMs: curve('chunkGapMs'), polls },
        serverSplit: shownStates.map((s) => splitOf(s.split)),
        numericAxis: summaryShown.length === shownNames.length ? numericAxis(summaryShown) : null,
        coldStarts: shownStates.map((s) => ({
          coldTotal: s.cold.seen,
          warmTotal: s.warm.seen,
          cold: [...s.cold.items()].sort(byTime),
          warm: [...s.warm.items()].sort(byTime),
        })),
        downsampled: downsampledNotes(
          shownNames,
          shownStates,
          { chunkTokens, polls },
          timeline.seen,
          limits,
          series.sampledWindows,
        ),
      };
    },
  };
}

function addWarm(state: VariantState, e2eMs: number, ttftMs: number): void {
  state.curves.warmE2eMs.add(e2eMs);
  if (!Number.isNaN(ttftMs)) state.curves.warmTtftMs.add(ttftMs);
}

/** Jobs fed before their cold-start verdict, column by column (a few numbers each, not the record). */
class PendingJobs {
  private readonly variant = new SampleBuffer();
  private readonly seq = new SampleBuffer();
  private readonly sentMs = new SampleBuffer();
  private readonly delayMs = new SampleBuffer();
  private readonly e2eMs = new SampleBuffer();
  private readonly ttftMs = new SampleBuffer();

  /** e2eMs and ttftMs: NaN unless the job is a measured ok request (and has a first token). */
  push(variant: number, seq: number, point: DelayPoint, e2eMs: number, ttftMs: number): void {
    this.variant.push(variant);
    this.seq.push(seq);
    this.sentMs.push(point[0]);
    this.delayMs.push(point[1]);
    this.e2eMs.push(e2eMs);
    this.ttftMs.push(ttftMs);
  }

  forEach(each: (variant: number, seq: number, point: DelayPoint, e2eMs: number, ttftMs: number) => void): void {
    const variant = this.variant.values();
    const seq = this.seq.values();
    const sent = this.sentMs.values();
    const delay = this.delayMs.values();
    const e2e = this.e2eMs.values();
    const ttft = this.ttftMs.values();
    for (let i = 0; i < seq.length; i++)
      each(
        variant[i] as number,
        seq[i] as number,
        [sent[i] as number, delay[i] as number],
        e2e[i] as number,
        ttft[i] as number,
      );
  }
}

/** Indices into `names`, in the order the page shows the variants. */
function displayOrder(names: readonly string[], summaryVariants: readonly VariantSummary[]): number[] {
  const natural = names.map((_, i) => i);
  const param = numericParam(summaryVariants);
  if (param === null) return natural;
  const levelOf = new Map(summaryVariants.map((v) => [v.name, v.params[param] as number]));
  const key = (i: number) => levelOf.get(names[i] as string) ?? Number.POSITIVE_INFINITY;
  return natural.sort((a, b) => key(a) - key(b) || a - b);
}

function splitOf(s: VariantState['split']): ServerSplit | null {
  if (s.count === 0) return null;
  const mean = (total: number) => round3(total / s.count);
  return {
    count: s.count,
    delayMeanMs: mean(s.delayMs),
    executionMeanMs: mean(s.executionMs),
    overheadMeanMs: mean(s.overheadMs),
    e2eMeanMs: mean(s.e2eMs),
  };
}

const n = (value: number) => value.toLocaleString('en-US');

function downsampledNotes(
  names: string[],
  states: VariantState[],
  counts: { chunkTokens: DiscreteCdf[]; polls: DiscreteCdf[] },
  requests: number,
  limits: CollectLimits,
  sampledWindows: number,
): string[] {
  const notes: string[] = [];
  if (requests > limits.timelineBars) {
    notes.push(`Request timeline: ${n(limits.timelineBars)} of ${n(requests)} requests, a uniform random sample.`);
  }
  states.forEach((s, i) => {
    const sampled = CURVES.filter((c) => s.curves[c].seen > limits.cdfSample).map(
      (c) => `${CURVE_LABELS[c]} from ${n(limits.cdfSample)} of ${n(s.curves[c].seen)} values`,
    );
    if (sampled.length > 0) notes.push(`Distributions of ${names[i]}: ${sampled.join(', ')} (uniform random samples).`);
    for (const [label, list] of [
      ['Chunk sizes', counts.chunkTokens],
      ['Polls per request', counts.polls],
    ] as const) {
      const distinct = list[i]?.distinct ?? 0;
      if (distinct > MAX_DISCRETE_POINTS)
        notes.push(
          `${label} of ${names[i]}: ${n(distinct)} distinct values, drawn at every ${n(Math.ceil(distinct / MAX_DISCRETE_POINTS))}th.`,
        );
    }
    const points = [
      s.cold.seen > limits.coldPoints ? `${n(limits.coldPoints)} of ${n(s.cold.seen)} cold` : '',
      s.warm.seen > limits.warmPoints ? `${n(limits.warmPoints)} of ${n(s.warm.seen)} warm` : '',
    ].filter(Boolean);
    if (points.length > 0)
      notes.push(`Cold-start chart of ${names[i]}: ${points.join(' and ')} jobs drawn (uniform random samples).`);
  });
  if (sampledWindows > 0) {
    notes.push(
      `p50 latency over time: in ${n(sampledWindows)} cases a window held more than ${n(limits.windowSample)} successful requests of a variant; their p50 comes from a uniform random sample of ${n(limits.windowSample)}.`,
    );
  }
  return notes;
}
