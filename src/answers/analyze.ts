// From a finished run to findings: the capacity a sweep found and a plan for the target
// traffic, the stream batch setting to use, and what cold starts cost. Pure, and data only
// (src/core/findings.ts; the renderers word them): deriveRun calls it with the summary,
// run.json's analysis settings, the jobs' pickups and the /health samples, so `podbench
// report` reaches the same findings from the files alone.
import type { PickupFacts } from '../metrics/cold-start.js';
import type { Finding, Incomplete } from '../core/findings.js';
import type { RunMeta, RunSummary, VariantSummary } from '../core/summary.js';
import { evaluateRecorded } from '../checks/thresholds.js';
import { isTuningParam, recommendBatching } from './batch-tuning.js';
import { bestStep, isGood, kneeStep, type SweepConfig } from './capacity-search.js';
import { billedSeconds, planCapacity } from './cost.js';
import { scalingFacts, servingWorkers, type HealthPoint } from './scaling.js';
import { stepThroughput, sweepSteps } from './sweep-steps.js';
import { platformOverheadFindings, type OverheadSamples } from './platform-overhead.js';
import { aggregateSlos } from '../metrics/goodput.js';
import { profileSweepFinding } from './profile-sweep.js';
import { completeness, type RunCompleteness } from './incomplete.js';

export interface AnalysisInput {
  meta: RunMeta;
  summary: RunSummary;
  pickups: readonly PickupFacts[];
  coldSeqs: ReadonlySet<number>;
  health: ReadonlyArray<HealthPoint & { variant: string }>;
  /** The samples of a run that compares the model server with the queue (platform-overhead.ts). */
  overhead?: ReturnType<OverheadSamples['finish']>;
}

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

/**
 * The variants the answers rest on: all of them, unless the run stopped before it measured
 * every one it was to (src/answers/incomplete.ts). A capacity search that wrote its
 * conclusion ran to its end; one that did not may have had further steps to run.
 */
function runCompleteness(input: AnalysisInput): RunCompleteness {
  const analysis = input.meta.analysis;
  if (analysis?.sweep) {
    if (analysis.sweepConclusion !== undefined) return { complete: [...input.summary.variants], incomplete: undefined };
    return completeness(input.meta, input.summary, null);
  }
  const planned = analysis?.profileSweep?.sweepSize ?? input.meta.variants.length;
  return completeness(input.meta, input.summary, planned);
}

function capacityFindings(
  input: AnalysisInput,
  run: RunCompleteness,
): {
  findings: Finding[];
  best?: VariantSummary;
  workers: number | null;
} {
  const analysis = input.meta.analysis;
  const variants = run.complete;
  const incomplete = run.incomplete;
  // Per-request SLOs are goodput's (src/metrics/goodput.ts); a sweep keeps the percentile ones.
  const slo = aggregateSlos(analysis?.slo ?? []);
  let best: VariantSummary | undefined;
  if (analysis?.sweep) {
    const sweep: SweepConfig = analysis.sweep;
    const steps = sweepSteps(sweep.field, variants, slo);
    const bestS = bestStep(
      sweep,
      steps.map((s) => s.step),
    );
    // An unfinished search has no knee: the steps it did not run could move it.
    const knee = incomplete ? undefined : kneeStep(steps.map((s) => s.step));
    best = steps.find((s) => s.step === bestS)?.variant;
    const sweepConclusion = analysis.sweepConclusion ?? null;
    if (!best || !bestS)
      return {
        findings: [
          {
            kind: 'no-capacity',
            slo,
            sweepConclusion,
            levelsTried: steps.length,
            ...(incomplete ? { incomplete } : {}),
          },
        ],
        workers: null,
      };
    const workers = servingDuring(best, input.health);
    const bad = steps.filter((s) => !isGood(s.step, sweep)).map((s) => s.step.level);
    const finding: Finding = {
      kind: 'capacity',
      field: sweep.field,
      level: bestS.level,
      requestsPerSec: stepThroughput(best).requestsPerSec,
      requestsPerSecInterval: stepThroughput(best).interval,
      outputTokensPerSec: stepThroughput(best).outputTokensPerSec,
      workers,
      kneeLevel: knee?.level ?? null,
      sweepConclusion,
      ttftP95Ms: best.metrics.ttftMs.p95,
      e2eP95Ms: best.metrics.e2eMs.p95,
      ...(incomplete
        ? {
            incomplete: {
              ...incomplete,
              highestLevel: Math.max(...steps.map((s) => s.step.level)),
              lowestBadLevel: bad.length > 0 ? Math.min(...bad) : null,
            },
          }
        : {}),
    };
    return { findings: [finding], best, workers };
  }
  // No sweep: the variant with the most throughput among those within the SLOs.
  const within = variants.filter(
    (v) => v.counts.ok > 0 && evaluateRecorded(slo, { variants: [v] }).every((r) => r.passed),
  );
  best = within.sort((a, b) => (b.throughput.requestsPerSec ?? 0) - (a.throughput.requestsPerSec ?? 0))[0];
  return { findings: [], ...(best ? { best } : {}), workers: best ? servingDuring(best, input.health) : null };
}

function planFindings(
  input: AnalysisInput,
  best: VariantSummary | undefined,
  workers: number | null,
  incomplete: Incomplete | undefined,
): Finding[] {
  const plan = input.meta.analysis?.plan;
  if (!plan) return [];
  const out: Finding[] = [];
  const price = plan.pricePerSecond;
  if (plan.targetRps !== undefined && best) {
    const rps = input.meta.analysis?.sweep
      ? stepThroughput(best).requestsPerSec
      : (best.throughput.requestsPerSec ?? 0);
    const perWorker = workers ? rps / workers : null;
    if (perWorker && perWorker > 0) {
      const result = planCapacity({
        targetRps: plan.targetRps,
        perWorkerRps: perWorker,
        outputTokensPerRequest: best.metrics.outputTokens.mean ?? 0,
        headroom: plan.headroom,
        ...(price !== undefined ? { pricePerSecond: price } : {}),
      });
      // A plan sized on an unfinished search is withheld: its rate per worker is only a lower
      // bound, so its workers only an upper one (a finished search may need fewer).
      if (incomplete && input.meta.analysis?.sweep) {
        out.push({
          kind: 'no-capacity-plan',
          targetRps: plan.targetRps,
          incomplete,
          bound: { requestsPerSecPerWorkerAtLeast: perWorker, workersAtMost: result.workersNeeded },
        });
        return [...out, ...runCost(input, price)];
      }
      const cold = input.summary.variants.flatMap((v) =>
        v.coldStarts.delayMs.cold.p90 !== null ? [v.coldStarts.delayMs.cold.p90] : [],
      );
      out.push({
        kind: 'capacity-plan',
        targetRps: plan.targetRps,
        requestsPerSecPerWorker: perWorker,
        rateFrom: input.meta.analysis?.sweep ? 'capacity-search' : 'this-load',
        workersNeeded: result.workersNeeded,
        activeWorkers: result.activeWorkers,
        maxWorkers: result.maxWorkers,
        headroom: plan.headroom,
        coldStartP90Ms: cold.length > 0 ? Math.max(...cold) : null,
        pricePerSecond: price ?? null,
        costPerHour: result.costPerHour ?? null,
        costPerMillionOutputTokens: result.costPerMillionOutputTokens ?? null,
        ...(incomplete ? { incomplete } : {}),
      });
    } else {
      out.push({ kind: 'no-capacity-plan', targetRps: plan.targetRps, ...(incomplete ? { incomplete } : {}) });
    }
  }
  return [...out, ...runCost(input, price)];
}

/** What this run itself cost, when a price was given: every request sent counts, finished or not. */
function runCost(input: AnalysisInput, price: number | undefined): Finding[] {
  const out: Finding[] = [];
  if (price !== undefined) {
    // What this run itself cost, from the jobs' pickups: execution, idle tails and boots.
    const billed = billedSeconds(
      input.pickups,
      input.coldSeqs,
      input.meta.analysis?.idleTimeoutMs ?? 5000,
      input.meta.target.kind === 'emulator',
    );
    out.push({
      kind: 'run-cost',
      busySeconds: billed.busy,
      idleSeconds: billed.idle,
      coldStartSeconds: billed.coldStart,
      totalSeconds: billed.total,
      pricePerSecond: price,
      outputTokens: input.summary.variants.reduce(
        (n, v) => n + (v.metrics.outputTokens.mean ?? 0) * v.metrics.outputTokens.count,
        0,
      ),
      warmupRequests: input.summary.variants.reduce((n, v) => n + v.counts.warmup, 0),
    });
  }
  return out;
}

function coldStartFindings(input: AnalysisInput): Finding[] {
  const out: Finding[] = [];
  for (const variant of input.summary.variants) {
    const cold = variant.coldStarts;
    if (cold.count === 0) continue;
    const d = cold.delayMs.cold;
    const health = input.health.filter((h) => h.variant === variant.name);
    const scaling = scalingFacts(health, variant.throughput.windowStartMs ?? 0);
    out.push({
      kind: 'cold-starts',
      variant: variant.name,
      coldRequests: cold.count,
      coldShare: cold.share,
      coldP50Ms: d.p50,
      coldP70Ms: d.p70,
      coldP90Ms: d.p90,
      coldP98Ms: d.p98,
      warmRequests: cold.delayMs.warm.count,
      warmP50Ms: cold.delayMs.warm.p50,
      timeToFirstWorkerMs: scaling?.timeToFirstWorkerMs ?? null,
      timeToMaxWorkersMs: scaling?.timeToMaxWorkersMs ?? null,
      maxServingWorkers: scaling?.maxServing ?? null,
      scalingResolutionMs: scaling?.resolutionMs ?? null,
    });
  }
  return out;
}

function tuningFindings(input: AnalysisInput, run: RunCompleteness): Finding[] {
  // Only when variants differ in stream batching or polling.
  const tuned = input.summary.variants.some((v) => Object.keys(v.params).some(isTuningParam));
  if (!tuned) return [];
  const streaming = new Map(input.meta.variants.map((v) => [v.name, v.streaming]));
  const findings = recommendBatching(run.complete, input.meta.analysis?.ttftTargetMs, (name) => streaming.get(name));
  const incomplete = run.incomplete;
  // Each answer says it is from the settings that ran, not from all the run was to compare.
  return incomplete ? findings.map((f) => ({ ...f, incomplete }) as Finding) : findings;
}

export function analyzeRun(input: AnalysisInput): Finding[] {
  const run = runCompleteness(input);
  const capacity = capacityFindings(input, run);
  const profileSweep = input.meta.analysis?.profileSweep;
  return [
    ...(profileSweep
      ? [
          {
            ...profileSweepFinding(run.complete, profileSweep.sweepSize, input.meta.analysis?.sweepConclusion ?? null),
            ...(run.incomplete ? { incomplete: run.incomplete } : {}),
          },
        ]
      : []),
    ...capacity.findings,
    ...planFindings(input, capacity.best, capacity.workers, run.incomplete),
    ...tuningFindings(input, run),
    ...coldStartFindings(input),
    ...(input.overhead
      ? platformOverheadFindings(input.summary.variants, input.meta.variants, input.overhead, input.coldSeqs)
      : []),
  ];
}
