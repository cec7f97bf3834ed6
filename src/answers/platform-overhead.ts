// What the platform adds (scenarios/platform-overhead.yaml): one workload sent straight to
// the model server (a variant whose target is of kind openai) and through the Runpod
// endpoint's queue (variants of kind runpod: /runsync, polled /stream, the OpenAI route).
// For each queue variant, against the model server:
//
//   differences     p50 E2E and TTFT on both paths, and via - direct
//   queueDelay      p50 delayTime (warm requests): the queue before a worker took the job
//   outsideServer   p50 of E2E - delayTime - executionTime: network round trips, gateway, polling
//   pollingCost     streams: TTFT difference - queue delay: how late polling saw the first token
//   callsPerRequest HTTP calls per request (the model server takes one)
//   coldStarts      requests that waited for a worker to boot, counted apart
//
// Uncertainty: each median's 95% interval from order statistics (distribution-free: the
// ranks n/2 -+ 1.96 sqrt(n)/2), half its width; a difference adds both. Times measured by
// podbench may be late by its own event loop's delay (run.json clientLoopDelayMs), and a
// server's timers on the same machine as late, so the larger p99 of the two variants is
// added to each figure; server times come in whole ms, so 1 ms more for those. The samples need the records (not only the summary's percentiles), so
// deriveRun feeds them here as it reads results.ndjson, for the variants compared only.
import type { OverheadDifference, PlatformOverheadFinding, Uncertain } from '../core/findings.js';
import type { RequestRecord } from '../core/record.js';
import type { RunVariantMeta, VariantSummary } from '../core/summary.js';
import { SampleBuffer, quantile, sortedSamples } from '../metrics/percentiles.js';

/** A variant's successful measured requests, as far as the comparison needs them. */
interface PathSamples {
  seqs: SampleBuffer;
  e2e: SampleBuffer;
  /** NaN where the request has no first-token time. */
  ttft: SampleBuffer;
  /** NaN where the server reported no delayTime / executionTime. */
  delay: SampleBuffer;
  outside: SampleBuffer;
}

export interface OverheadSamples {
  add(record: RequestRecord): void;
  /** The samples per variant compared (the model server's and the queue's). */
  finish(): ReadonlyMap<string, PathSamples>;
}

/** The run compares paths when it has a model-server variant and a queue variant; otherwise undefined. */
export function createOverheadSamples(variants: readonly RunVariantMeta[]): OverheadSamples | undefined {
  const direct = variants.some((v) => v.target?.api === 'openai');
  const via = variants.some((v) => v.target?.api === 'runpod');
  if (!direct || !via) return undefined;
  const paths = new Map<string, PathSamples>();
  for (const v of variants) {
    if (v.target?.api !== 'openai' && v.target?.api !== 'runpod') continue;
    paths.set(v.name, {
      seqs: new SampleBuffer(),
      e2e: new SampleBuffer(),
      ttft: new SampleBuffer(),
      delay: new SampleBuffer(),
      outside: new SampleBuffer(),
    });
  }
  return {
    add(r) {
      const path = paths.get(r.variant);
      if (!path || r.phase !== 'measure' || r.outcome !== 'ok' || r.sentMs === undefined) return;
      const e2e = r.endMs - r.sentMs;
      path.seqs.push(r.seq);
      path.e2e.push(e2e);
      path.ttft.push(r.firstTokenMs !== undefined ? r.firstTokenMs - r.sentMs : Number.NaN);
      const timed = r.delayMs !== undefined && r.executionMs !== undefined;
      path.delay.push(timed ? (r.delayMs as number) : Number.NaN);
      path.outside.push(timed ? e2e - (r.delayMs as number) - (r.executionMs as number) : Number.NaN);
    },
    finish: () => paths,
  };
}

/** The p50 of some samples and half the width of its 95% interval; undefined without samples. */
export function medianWithInterval(values: ArrayLike<number>): Uncertain | undefined {
  const sorted = sortedSamples(Array.from(values).filter((v) => !Number.isNaN(v)));
  const n = sorted.length;
  if (n === 0) return undefined;
  const spread = 1.96 * Math.sqrt(n) * 0.5;
  // 1-based ranks of the interval's ends, clamped: with few samples it is [min, max].
  const lo = Math.max(1, Math.floor(n / 2 - spread));
  const hi = Math.min(n, Math.ceil(n / 2 + 1 + spread));
  return {
    ms: quantile(sorted, 0.5) as number,
    uncertaintyMs: ((sorted[hi - 1] as number) - (sorted[lo - 1] as number)) / 2,
  };
}

function plus(a: Uncertain, extraMs: number): Uncertain {
  return { ms: a.ms, uncertaintyMs: a.uncertaintyMs + extraMs };
}

function minus(a: Uncertain, b: Uncertain, extraMs: number): Uncertain {
  return { ms: a.ms - b.ms, uncertaintyMs: a.uncertaintyMs + b.uncertaintyMs + extraMs };
}

/** Only the samples whose request is warm (cold ones are counted apart). */
function warmOnly(path: PathSamples, values: SampleBuffer, coldSeqs: ReadonlySet<number>): number[] {
  const seqs = path.seqs.values();
  const all = values.values();
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) if (!coldSeqs.has(seqs[i] as number)) out.push(all[i] as number);
  return out;
}

/** Server times are whole milliseconds. */
const SERVER_RESOLUTION_MS = 1;

export function platformOverheadFindings(
  variants: readonly VariantSummary[],
  metas: readonly RunVariantMeta[],
  samples: ReadonlyMap<string, PathSamples>,
  coldSeqs: ReadonlySet<number>,
): PlatformOverheadFinding[] {
  const metaOf = (name: string) => metas.find((m) => m.name === name);
  const direct = variants.find((v) => metaOf(v.name)?.target?.api === 'openai' && samples.has(v.name));
  const directSamples = direct ? samples.get(direct.name) : undefined;
  if (!direct || !directSamples) return [];
  const loopOf = (name: string) => metaOf(name)?.clientLoopDelayMs?.p99 ?? 0;
  const out: PlatformOverheadFinding[] = [];
  for (const via of variants) {
    const viaSamples = samples.get(via.name);
    if (!viaSamples || metaOf(via.name)?.target?.api !== 'runpod') continue;
    const loopMs = Math.max(loopOf(direct.name), loopOf(via.name));
    // Cold requests can be told apart only where the server reports delayTime.
    const timed = Array.from(viaSamples.delay.values()).some((d) => !Number.isNaN(d));
    const viaE2e = warmOnly(viaSamples, viaSamples.e2e, timed ? coldSeqs : new Set());
    const viaTtft = warmOnly(viaSamples, viaSamples.ttft, timed ? coldSeqs : new Set());
    const differences: OverheadDifference[] = [];
    const compare = (metric: OverheadDifference['metric'], a: ArrayLike<number>, b: ArrayLike<number>) => {
      const d = medianWithInterval(a);
      const v = medianWithInterval(b);
      if (d === undefined || v === undefined) return undefined;
      const difference = minus(v, d, loopMs);
      differences.push({ metric, directP50Ms: d.ms, viaP50Ms: v.ms, difference });
      return difference;
    };
    if (compare('e2eMs', directSamples.e2e.values(), viaE2e) === undefined) continue;
    const ttftDifference = compare('ttftMs', directSamples.ttft.values(), viaTtft);
    const delay = medianWithInterval(warmOnly(viaSamples, viaSamples.delay, coldSeqs));
    // The emulator's (or any server's) timers fire as late as this machine lets them: its loop delay bounds that too.
    const queueDelay = delay ? plus(delay, SERVER_RESOLUTION_MS + loopMs) : null;
    const outside = medianWithInterval(warmOnly(viaSamples, viaSamples.outside, coldSeqs));
    out.push({
      kind: 'platform-overhead',
      direct: direct.name,
      via: via.name,
      mode: via.mode,
      requests: { direct: directSamples.e2e.values().length, via: viaE2e.length },
      differences,
      queueDelay,
      outsideServer: outside ? plus(outside, SERVER_RESOLUTION_MS + loopMs) : null,
      pollingCost:
        ttftDifference && queueDelay && (via.mode === 'stream' || via.mode === 'async')
          ? minus(ttftDifference, queueDelay, 0)
          : null,
      callsPerRequest: 1 + (via.metrics.polls.mean ?? 0),
      coldStarts: via.coldStarts.count,
      coldStartP50Ms: via.coldStarts.delayMs.cold.p50,
      coldNotSeparated: !timed,
    });
  }
  return out;
}
