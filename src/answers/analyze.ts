// From a finished run to findings: the capacity a sweep found and a plan for the target
// traffic, the stream batch setting to use, and what cold starts cost. Pure: the report
// builder calls it with the summary, run.json's analysis settings, the jobs' pickups and the
// /health samples, so `podbench report` reaches the same findings from the files alone.
import type { PickupFacts } from '../metrics/cold-start.js';
import type { RunMeta, RunSummary, VariantSummary } from '../core/summary.js';
import { evaluateRecorded } from '../checks/thresholds.js';
import { isTuningParam, recommendBatching } from './batch-tuning.js';
import { bestStep, kneeStep, type SweepConfig } from './capacity-search.js';
import { billedSeconds, planCapacity } from './cost.js';
import type { Recommendation } from './recommendation.js';
import { scalingFacts, servingWorkers, type HealthPoint } from './scaling.js';
import { sweepSteps } from './sweep-steps.js';

export interface AnalysisInput {
  meta: RunMeta;
  summary: RunSummary;
  pickups: readonly PickupFacts[];
  coldSeqs: ReadonlySet<number>;
  health: ReadonlyArray<HealthPoint & { variant: string }>;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Mean workers /health reported serving while a variant's measured requests ran, if sampled. */
function servingDuring(variant: VariantSummary, health: AnalysisInput['health']): number | null {
  const start = variant.throughput.windowStartMs;
  if (start === undefined) return null;
  const end = start + variant.throughput.windowMs;
  const counts = health
    .filter((h) => h.variant === variant.name && h.tMs >= start && h.tMs <= end)
    .map(servingWorkers)
    .filter((n): n is number => n !== undefined);
  if (counts.length === 0) return null;
  return counts.reduce((a, b) => a + b, 0) / counts.length;
}

function capacityFindings(input: AnalysisInput): { recommendations: Recommendation[]; best?: VariantSummary; workers: number | null } {
  const analysis = input.meta.analysis;
  const variants = input.summary.variants;
  const slo = analysis?.slo ?? [];
  let best: VariantSummary | undefined;
  const recommendations: Recommendation[] = [];
  if (analysis?.sweep) {
    const sweep: SweepConfig = analysis.sweep;
    const steps = sweepSteps(sweep.field, variants, slo);
    const bestS = bestStep(sweep, steps.map((s) => s.step));
    const knee = kneeStep(steps.map((s) => s.step));
    best = steps.find((s) => s.step === bestS)?.variant;
    const unit = sweep.field === 'load.rate' ? ' req/s' : ' in flight';
    if (!best || !bestS) {
      recommendations.push({
        kind: 'capacity',
        value: null,
        reason: `No level met the SLOs (${slo.join('; ') || 'errors only'}): ${analysis.sweepConclusion ?? 'the first step already failed'}.`,
        numbers: { levelsTried: steps.length },
      });
      return { recommendations, workers: null };
    }
    const workers = servingDuring(best, input.health);
    const rps = best.throughput.requestsPerSec ?? 0;
    const tokens = best.throughput.outputTokensPerSec ?? 0;
    recommendations.push({
      kind: 'capacity',
      value: bestS.level,
      reason:
        `The most load within the SLOs is ${bestS.level}${unit}: ${round(rps)} req/s and ${round(tokens, 0)} output tokens/s` +
        (workers ? ` on ${round(workers, 1)} worker${workers === 1 ? '' : 's'} (${round(rps / workers)} req/s per worker)` : '') +
        `. ${analysis.sweepConclusion ? `${analysis.sweepConclusion}.` : ''}` +
        (knee ? ` Throughput reaches 90% of its maximum at ${knee.level}${unit} (the knee): beyond it, more load mostly adds queueing.` : ''),
      numbers: {
        level: bestS.level,
        requestsPerSec: round(rps, 3),
        outputTokensPerSec: round(tokens, 1),
        workers: workers === null ? null : round(workers, 2),
        requestsPerSecPerWorker: workers ? round(rps / workers, 3) : null,
        outputTokensPerSecPerWorker: workers ? round(tokens / workers, 1) : null,
        kneeLevel: knee?.level ?? null,
        ttftP95Ms: best.metrics.ttftMs.p95,
        e2eP95Ms: best.metrics.e2eMs.p95,
      },
    });
    return { recommendations, best, workers };
  }
  // No sweep: the variant with the most throughput among those within the SLOs.
  const within = variants.filter((v) => v.counts.ok > 0 && evaluateRecorded(slo, { variants: [v] }).every((r) => r.passed));
  best = within.sort((a, b) => (b.throughput.requestsPerSec ?? 0) - (a.throughput.requestsPerSec ?? 0))[0];
  return { recommendations, ...(best ? { best } : {}), workers: best ? servingDuring(best, input.health) : null };
}

/** Costs are in whatever currency the price was given in: say which price they come from. */
function priceText(pricePerSecond: number | undefined): string {
  return pricePerSecond === undefined ? '' : ` (at ${round(pricePerSecond * 3600, 4)} per worker-hour, in the currency of the price given)`;
}

function planFindings(input: AnalysisInput, best: VariantSummary | undefined, workers: number | null): Recommendation[] {
  const plan = input.meta.analysis?.plan;
  if (!plan) return [];
  const out: Recommendation[] = [];
  const price = plan.pricePerSecond;
  if (plan.targetRps !== undefined && best) {
    const rps = best.throughput.requestsPerSec ?? 0;
    const perWorker = workers ? rps / workers : null;
    if (perWorker && perWorker > 0) {
      const result = planCapacity({
        targetRps: plan.targetRps,
        perWorkerRps: perWorker,
        outputTokensPerRequest: best.metrics.outputTokens.mean ?? 0,
        headroom: plan.headroom,
        ...(price !== undefined ? { pricePerSecond: price } : {}),
      });
      const cold = input.summary.variants.flatMap((v) => (v.coldStarts.delayMs.cold.p90 !== null ? [v.coldStarts.delayMs.cold.p90] : []));
      const coldP90 = cold.length > 0 ? Math.max(...cold) : null;
      out.push({
        kind: 'capacity-plan',
        value: { activeWorkers: result.activeWorkers, maxWorkers: result.maxWorkers },
        reason:
          `For ${plan.targetRps} req/s at ${round(perWorker)} req/s per worker: ${result.workersNeeded} worker${result.workersNeeded > 1 ? 's' : ''}. ` +
          `Keep them active (workers.min ${result.activeWorkers}) so the base load never waits for a cold start, and allow workers.max ${result.maxWorkers} for bursts` +
          (coldP90 !== null ? `, which wait for a cold start (p90 ${round(coldP90 / 1000, 1)} s measured) plus the scaler's reaction` : '') +
          '.' +
          (result.costPerHour !== undefined
            ? ` Active workers cost ${round(result.costPerHour)} per hour, ${round(result.costPerMillionOutputTokens ?? 0)} per million output tokens at this traffic${priceText(price)}.`
            : ' Give a GPU price (plan.gpuPricePerHour) for costs.'),
        numbers: {
          targetRps: plan.targetRps,
          requestsPerSecPerWorker: round(perWorker, 3),
          workersNeeded: result.workersNeeded,
          activeWorkers: result.activeWorkers,
          maxWorkers: result.maxWorkers,
          headroom: plan.headroom,
          coldStartP90Ms: coldP90,
          costPerHour: result.costPerHour === undefined ? null : round(result.costPerHour, 4),
          costPerMillionOutputTokens: result.costPerMillionOutputTokens === undefined ? null : round(result.costPerMillionOutputTokens, 4),
        },
      });
    } else {
      out.push({
        kind: 'capacity-plan',
        value: null,
        reason: 'No plan: the endpoint reported no serving workers through /health during the best step, so capacity per worker is unknown (enable polling.health).',
        numbers: { targetRps: plan.targetRps },
      });
    }
  }
  if (price !== undefined) {
    // What this run itself cost, from the jobs' pickups: execution, idle tails and boots.
    const billed = billedSeconds(input.pickups, input.coldSeqs, input.meta.analysis?.idleTimeoutMs ?? 5000, input.meta.target.kind === 'emulator');
    const tokens = input.summary.variants.reduce((n, v) => n + (v.metrics.outputTokens.mean ?? 0) * v.metrics.outputTokens.count, 0);
    const warmups = input.summary.variants.reduce((n, v) => n + v.counts.warmup, 0);
    out.push({
      kind: 'capacity-plan',
      value: { billedWorkerSeconds: round(billed.total, 1) },
      reason: `This run kept workers billed for about ${round(billed.total, 1)} s (${round(billed.busy, 1)} s executing, ${round(billed.idle, 1)} s in idle timeouts, ${round(billed.coldStart, 1)} s booting): about ${round(billed.total * price, 4)}${tokens > 0 ? `, ${round(((billed.total * price) / tokens) * 1e6, 2)} per million measured output tokens${warmups > 0 ? ` (the billed time includes the ${warmups} warmup request${warmups === 1 ? '' : 's'}, whose tokens are not measured)` : ''}` : ''}${priceText(price)}. An estimate from the jobs podbench saw.`,
      numbers: { busySeconds: round(billed.busy, 2), idleSeconds: round(billed.idle, 2), coldStartSeconds: round(billed.coldStart, 2), pricePerSecond: price, outputTokens: round(tokens, 0) },
    });
  }
  return out;
}

/** A warm request's delayTime is often under a millisecond: say so rather than "0 s". */
function warmDelayText(ms: number): string {
  return ms < 1 ? 'under 1 ms' : ms < 1000 ? `${round(ms, 0)} ms` : `${round(ms / 1000, 2)} s`;
}

function coldStartFindings(input: AnalysisInput): Recommendation[] {
  const out: Recommendation[] = [];
  for (const variant of input.summary.variants) {
    const cold = variant.coldStarts;
    if (cold.count === 0) continue;
    const d = cold.delayMs.cold;
    const health = input.health.filter((h) => h.variant === variant.name);
    const scaling = scalingFacts(health, variant.throughput.windowStartMs ?? 0);
    const scale =
      scaling && scaling.timeToFirstWorkerMs !== null
        ? ` From zero, the first worker served after ${round(scaling.timeToFirstWorkerMs / 1000, 2)} s` +
          (scaling.maxServing > 1 ? ` and all ${scaling.maxServing} after ${round((scaling.timeToMaxWorkersMs ?? 0) / 1000, 2)} s` : '') +
          ` (± ${round((scaling.resolutionMs ?? 0) / 1000, 2)} s, the /health sampling).`
        : '';
    out.push({
      kind: 'cold-starts',
      value: { variant: variant.name, p50Ms: d.p50, p90Ms: d.p90 },
      reason:
        `${variant.name}: ${cold.count} request${cold.count > 1 ? 's' : ''} (${round((cold.share ?? 0) * 100, 1)}% of those with server timing) waited for a cold start: delayTime p50 ${round((d.p50 ?? 0) / 1000, 2)} s, p90 ${round((d.p90 ?? 0) / 1000, 2)} s` +
        (cold.delayMs.warm.count > 0 ? `, against ${warmDelayText(cold.delayMs.warm.p50 ?? 0)} for warm requests (p50).` : ' (no request was warm).') +
        scale +
        ' Active workers (workers.min) remove cold starts for the traffic they carry; FlashBoot shortens revivals of scaled-down workers.',
      numbers: {
        coldRequests: cold.count,
        coldShare: cold.share,
        coldP50Ms: d.p50,
        coldP70Ms: d.p70,
        coldP90Ms: d.p90,
        coldP98Ms: d.p98,
        warmP50Ms: cold.delayMs.warm.p50,
        timeToFirstWorkerMs: scaling?.timeToFirstWorkerMs ?? null,
        timeToMaxWorkersMs: scaling?.timeToMaxWorkersMs ?? null,
        maxServingWorkers: scaling?.maxServing ?? null,
      },
    });
  }
  return out;
}

function tuningFindings(input: AnalysisInput): Recommendation[] {
  // Only when variants differ in stream batching or polling.
  const tuned = input.summary.variants.some((v) => Object.keys(v.params).some(isTuningParam));
  if (!tuned) return [];
  return recommendBatching(input.summary.variants, input.meta.analysis?.ttftTargetMs);
}

export function analyzeRun(input: AnalysisInput): Recommendation[] {
  const capacity = capacityFindings(input);
  return [...capacity.recommendations, ...planFindings(input, capacity.best, capacity.workers), ...tuningFindings(input), ...coldStartFindings(input)];
}
