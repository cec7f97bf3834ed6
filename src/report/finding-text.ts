// Each finding in words: one or two sentences a person can act on. Written once here and
// shown the same on the console, in report.html and in summary.json's `recommendations`.
import type {
  BatchingFrontFinding,
  BatchingTargetMetFinding,
  BatchingTargetMissedFinding,
  CapacityFinding,
  CapacityPlanFinding,
  ColdStartFinding,
  Finding,
  RunCostFinding,
} from '../core/findings.js';
import { roundTo as round } from '../util/round.js';

export function findingText(finding: Finding): string {
  switch (finding.kind) {
    case 'capacity':
      return capacityText(finding);
    case 'no-capacity':
      return `No level met the SLOs (${finding.slo.join('; ') || 'errors only'}): ${finding.sweepConclusion ?? 'the first step already failed'}.`;
    case 'capacity-plan':
      return planText(finding);
    case 'no-capacity-plan':
      return 'No plan: the endpoint reported no serving workers through /health during the best step, so capacity per worker is unknown (enable polling.health).';
    case 'run-cost':
      return runCostText(finding);
    case 'stream-batching-no-effect':
      return finding.cause === 'raw-sse'
        ? 'The endpoint streams raw SSE (worker-vllm 2.24 or later), which ignores max_batch_size, min_batch_size and batch_size_growth_factor: differences between these settings are noise. Tune the poll interval instead.'
        : 'Chunk sizes do not follow the requested batch settings (they differ by under 10%): this worker seems to ignore the batch knobs, so differences between these settings are noise.';
    case 'stream-batching-alike':
      return `These ${finding.settings.length} settings perform alike here (p50 TTFT and /stream calls per request within 5% of each other): none is better. With fixed-interval polling the poll interval sets the pace; compare batch sizes with long-polling (polling.wait), where each batch is one call.`;
    case 'stream-batching-target-met':
      return targetMetText(finding);
    case 'stream-batching-target-missed':
      return targetMissedText(finding);
    case 'stream-batching-front':
      return frontText(finding);
    case 'cold-starts':
      return coldStartText(finding);
    default: {
      const never: never = finding;
      return never;
    }
  }
}

function unitOf(field: CapacityFinding['field']): string {
  return field === 'load.rate' ? ' req/s' : ' in flight';
}

function intervalText(interval: CapacityFinding['requestsPerSecInterval']): string {
  if (interval === undefined) return '';
  if (interval === null) return ' (too few requests in its steady part for an interval)';
  return ` (95% interval ${round(interval.low)}-${round(interval.high)})`;
}

function capacityText(f: CapacityFinding): string {
  const unit = unitOf(f.field);
  const { workers, requestsPerSec: rps } = f;
  return (
    `The most load within the SLOs is ${f.level}${unit}: ${round(rps)} req/s${intervalText(f.requestsPerSecInterval)} and ${round(f.outputTokensPerSec, 0)} output tokens/s` +
    (workers
      ? ` on ${round(workers, 1)} worker${workers === 1 ? '' : 's'} (${round(rps / workers)} req/s per worker)`
      : '') +
    `. ${f.sweepConclusion ? `${f.sweepConclusion}.` : ''}` +
    (f.kneeLevel !== null
      ? ` Throughput reaches 90% of its maximum at ${f.kneeLevel}${unit} (the knee): beyond it, more load mostly adds queueing.`
      : '')
  );
}

/** Costs are in whatever currency the price was given in: say which price they come from. */
function priceText(pricePerSecond: number | null): string {
  return pricePerSecond === null
    ? ''
    : ` (at ${round(pricePerSecond * 3600, 4)} per worker-hour, in the currency of the price given)`;
}

function planText(f: CapacityPlanFinding): string {
  return (
    `For ${f.targetRps} req/s at ${round(f.requestsPerSecPerWorker)} req/s per worker: ${f.workersNeeded} worker${f.workersNeeded > 1 ? 's' : ''}. ` +
    `Keep them active (workers.min ${f.activeWorkers}) so the base load never waits for a cold start, and allow workers.max ${f.maxWorkers} for bursts` +
    (f.coldStartP90Ms !== null
      ? `, which wait for a cold start (p90 ${round(f.coldStartP90Ms / 1000, 1)} s measured) plus the scaler's reaction`
      : '') +
    '.' +
    (f.costPerHour !== null
      ? ` Active workers cost ${round(f.costPerHour)} per hour, ${round(f.costPerMillionOutputTokens ?? 0)} per million output tokens at this traffic${priceText(f.pricePerSecond)}.`
      : ' Give a GPU price (plan.gpuPricePerHour) for costs.')
  );
}

function runCostText(f: RunCostFinding): string {
  const cost = f.totalSeconds * f.pricePerSecond;
  const warmups = f.warmupRequests;
  const perMillion =
    f.outputTokens > 0
      ? `, ${round((cost / f.outputTokens) * 1e6, 2)} per million measured output tokens${warmups > 0 ? ` (the billed time includes the ${warmups} warmup request${warmups === 1 ? '' : 's'}, whose tokens are not measured)` : ''}`
      : '';
  return `This run kept workers billed for about ${round(f.totalSeconds, 1)} s (${round(f.busySeconds, 1)} s executing, ${round(f.idleSeconds, 1)} s in idle timeouts, ${round(f.coldStartSeconds, 1)} s booting): about ${round(cost, 4)}${perMillion}${priceText(f.pricePerSecond)}. An estimate from the jobs podbench saw.`;
}

/** Without effect, only the polling part of a setting matters: say so where a setting is named. */
function asideOf(knobsIgnored: boolean): string {
  return knobsIgnored ? ' (its batch settings make no difference on this worker: only its polling counts)' : '';
}

function targetMetText(f: BatchingTargetMetFinding): string {
  const best = f.best;
  return `${best.variant}${asideOf(f.knobsIgnored)} meets the TTFT target (p95 ${Math.round(best.ttftP95Ms)} ms ≤ ${f.ttftTargetMs} ms) with the fewest /stream calls (${best.streamCallsPerRequest.toFixed(1)} per request) of the ${f.settingsMeeting} settings that meet it.`;
}

function targetMissedText(f: BatchingTargetMissedFinding): string {
  return `No setting meets the TTFT target of ${f.ttftTargetMs} ms; ${f.closest.variant}${asideOf(f.knobsIgnored)} comes closest (p95 ${Math.round(f.closest.ttftP95Ms)} ms). The first token's latency is then mostly queueing and prefill, not batching.`;
}

function frontText(f: BatchingFrontFinding): string {
  const aside = asideOf(f.knobsIgnored);
  const only = f.front.length === 1 ? f.front[0] : undefined;
  return only
    ? `No TTFT target was given${aside}: ${only.variant} gives a first token as soon as any other setting (p50 within 5%) with the fewest /stream calls (TTFT p50 ${Math.round(only.ttftP50Ms)} ms, ${only.streamCallsPerRequest.toFixed(1)} calls).`
    : `No TTFT target was given${aside}: these ${f.front.length} settings are the Pareto front (no other gives a sooner first token with as few /stream calls): ${f.front.map((r) => `${r.variant} (TTFT p50 ${Math.round(r.ttftP50Ms)} ms, ${r.streamCallsPerRequest.toFixed(1)} calls)`).join('; ')}.`;
}

/** A warm request's delayTime is often under a millisecond: say so rather than "0 s". */
function warmDelayText(ms: number): string {
  return ms < 1 ? 'under 1 ms' : ms < 1000 ? `${round(ms, 0)} ms` : `${round(ms / 1000, 2)} s`;
}

function coldStartText(f: ColdStartFinding): string {
  const scale =
    f.timeToFirstWorkerMs !== null
      ? ` From zero, the first worker served after ${round(f.timeToFirstWorkerMs / 1000, 2)} s` +
        ((f.maxServingWorkers ?? 0) > 1
          ? ` and all ${f.maxServingWorkers} after ${round((f.timeToMaxWorkersMs ?? 0) / 1000, 2)} s`
          : '') +
        ` (± ${round((f.scalingResolutionMs ?? 0) / 1000, 2)} s, the /health sampling).`
      : '';
  return (
    `${f.variant}: ${f.coldRequests} request${f.coldRequests > 1 ? 's' : ''} (${round((f.coldShare ?? 0) * 100, 1)}% of those with server timing) waited for a cold start: delayTime p50 ${round((f.coldP50Ms ?? 0) / 1000, 2)} s, p90 ${round((f.coldP90Ms ?? 0) / 1000, 2)} s` +
    (f.warmRequests > 0
      ? `, against ${warmDelayText(f.warmP50Ms ?? 0)} for warm requests (p50).`
      : ' (no request was warm).') +
    scale +
    ' Active workers (workers.min) remove cold starts for the traffic they carry; FlashBoot shortens revivals of scaled-down workers.'
  );
}
