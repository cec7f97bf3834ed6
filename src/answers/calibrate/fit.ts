// A run in, the emulator's model out: every fitted value with its 90% interval and what it
// rests on, and what the run could not tell. The pieces: decode-fit.ts (step, batch growth,
// prefill), output-length-fit.ts (end of sequence), worker-history.ts + cold-start-fit.ts
// (boots, FlashBoot), idle-fit.ts (scale-down), concurrency-fit.ts (jobs per worker,
// dispatch), overhead-fit.ts (what the client sees beyond the endpoint). Pure: the caller
// reads the run folder and supplies the emulator's defaults for what the run cannot tell.
import type { CalibrationGap, CalibrationParameter, FittedValue, TrafficFacts } from '../../core/calibration.js';
import type { HealthSample } from '../../core/health.js';
import type { Mode, RequestRecord } from '../../core/record.js';
import { quantile, sortedSamples } from '../../metrics/percentiles.js';
import { fitColdStarts } from './cold-start-fit.js';
import { fitConcurrency } from './concurrency-fit.js';
import { fitDecode } from './decode-fit.js';
import { fitIdleTimeout } from './idle-fit.js';
import { type JobObs, observeRecords } from './observations.js';
import { fitOutputLength } from './output-length-fit.js';
import { fitE2eOverhead, fitTtftOverhead } from './overhead-fit.js';
import { workerHistory } from './worker-history.js';

export interface FitInput {
  records: readonly RequestRecord[];
  health: readonly HealthSample[];
  /** The run's time scale: every time is multiplied by it. */
  timeScale: number;
  mode: Mode;
  /** The scenario's sampling: max_tokens (null: unknown), min_tokens, ignore_eos. */
  sampling: { maxTokens: number | null; minTokens: number; ignoreEos: boolean };
  /** What each parameter is when the run cannot tell (the emulator's defaults). */
  defaults: Record<CalibrationParameter, number>;
  seed: number;
}

export interface FitResult {
  parameters: FittedValue[];
  gaps: CalibrationGap[];
  traffic: TrafficFacts;
  /** Most workers seen live at once (health), or serving one variant (records). */
  maxWorkersSeen: number;
  /** Fewest workers /health saw live (the active ones, workers.min); null without samples. */
  minWorkersSeen: number | null;
  downweighted: number;
}

/** Below this many timed requests the intervals are wide: say so. */
const FEW_REQUESTS = 100;
/** Below this many boots the cold-start spread (sigma) is loose. */
const FEW_BOOTS = 20;

function liveOf(s: HealthSample): number | undefined {
  const w = s.workers;
  return w === undefined ? undefined : (w.initializing ?? 0) + (w.ready ?? 0) + (w.running ?? 0);
}

export function fitRun(input: FitInput): FitResult {
  const { timeScale, defaults, seed } = input;
  const { jobs, untimed } = observeRecords(input.records, timeScale);
  const parameters: FittedValue[] = [];
  const gaps: CalibrationGap[] = [];
  const put = (
    parameter: CalibrationParameter,
    value: number,
    interval: [number, number] | undefined | null,
    status: FittedValue['status'],
    basis: number,
  ): void => {
    parameters.push({
      parameter,
      value,
      low: interval ? interval[0] : null,
      high: interval ? interval[1] : null,
      status,
      basis,
    });
  };
  const assume = (parameter: CalibrationParameter): void => put(parameter, defaults[parameter], null, 'assumed', 0);

  const ok = jobs.filter((j) => j.ok);
  if (ok.length === 0 && untimed > 0) gaps.push({ kind: 'no-server-timing', requests: untimed });
  else if (ok.length < FEW_REQUESTS) gaps.push({ kind: 'few-requests', requests: ok.length, wanted: 2 * FEW_REQUESTS });

  // Decode steps and prefill.
  const decode = fitDecode(jobs, seed, timeScale);
  let downweighted = 0;
  if (decode) {
    downweighted = decode.downweighted;
    put('generation.stepMs', decode.params.stepMs, decode.intervals.stepMs, 'fitted', decode.jobs);
    if (decode.fitted.perSequence)
      put(
        'generation.stepMsPerSequence',
        decode.params.stepMsPerSequence,
        decode.intervals.stepMsPerSequence,
        'fitted',
        decode.jobs,
      );
    else {
      put('generation.stepMsPerSequence', 0, null, 'assumed', 0);
      gaps.push({ kind: 'no-batch-variation', sequencesP10: decode.sequencesP10, sequencesP90: decode.sequencesP90 });
    }
    if (decode.fitted.prefill)
      put(
        'generation.prefillMsPerToken',
        decode.params.prefillMsPerToken,
        decode.intervals.prefillMsPerToken,
        'fitted',
        decode.jobs,
      );
    else {
      put('generation.prefillMsPerToken', 0, null, 'assumed', 0);
      gaps.push({
        kind: 'no-prompt-variation',
        promptTokensP10: decode.promptTokensP10,
        promptTokensP90: decode.promptTokensP90,
      });
    }
    if (decode.jitter !== null) put('generation.jitter', decode.jitter, [0, decode.jitter], 'bound', decode.jobs);
    else assume('generation.jitter');
    if (decode.fitted.overhead)
      put('overhead.executionMs', decode.executionOverheadMs, decode.intervals.executionMs, 'fitted', decode.jobs);
    else {
      put('overhead.executionMs', 0, null, 'assumed', 0);
      gaps.push({ kind: 'no-output-variation', outputTokens: decode.outputTokensMean });
    }
  } else {
    for (const p of [
      'generation.stepMs',
      'generation.stepMsPerSequence',
      'generation.prefillMsPerToken',
      'generation.jitter',
    ] as const)
      assume(p);
    put('overhead.executionMs', 0, null, 'assumed', 0);
  }

  // Output length.
  const { maxTokens, minTokens, ignoreEos } = input.sampling;
  const lengths = ignoreEos || maxTokens === null ? undefined : fitOutputLength(jobs, maxTokens, minTokens, seed);
  if (ignoreEos) gaps.push({ kind: 'eos-unknown', reason: 'ignore-eos' });
  else if (maxTokens === null) gaps.push({ kind: 'eos-unknown', reason: 'no-max-tokens' });
  if (lengths && lengths.stops > 0)
    put('generation.eosProbability', lengths.eosProbability, lengths.interval, 'fitted', lengths.jobs);
  else if (lengths) {
    // No job stopped early: the chance per token is below about 3 / draws (95%).
    put('generation.eosProbability', 0, [0, Math.min(1, 3 / lengths.draws)], 'bound', lengths.jobs);
    gaps.push({ kind: 'eos-never-seen', requests: lengths.jobs });
  } else assume('generation.eosProbability');

  // Boots, cold starts, FlashBoot.
  const history = workerHistory(jobs, timeScale);
  const cold = fitColdStarts(history.boots, jobs, input.health, timeScale, seed);
  if (cold.coldStart) {
    const c = cold.coldStart;
    put('workers.coldStart.medianMs', c.medianMs, c.medianInterval, 'fitted', c.n);
    if (c.n >= 3) put('workers.coldStart.sigma', c.sigma, c.sigmaInterval, 'fitted', c.n);
    else assume('workers.coldStart.sigma');
    if (c.n < FEW_BOOTS) gaps.push({ kind: 'few-cold-starts', boots: c.n, wanted: 2 * FEW_BOOTS });
    if (cold.underLoad) gaps.push({ kind: 'cold-starts-under-load', boots: cold.boots - cold.fromZero });
  } else {
    assume('workers.coldStart.medianMs');
    assume('workers.coldStart.sigma');
    gaps.push({ kind: 'no-cold-starts' });
  }
  if (cold.flashboot) {
    const f = cold.flashboot;
    put('workers.flashboot.probability', f.probability, null, 'fitted', f.revivals);
    put('workers.flashboot.medianMs', f.medianMs, f.medianInterval, 'fitted', f.n);
    if (f.n >= 3) put('workers.flashboot.sigma', f.sigma, f.sigmaInterval, 'fitted', f.n);
    else assume('workers.flashboot.sigma');
  } else {
    for (const p of ['workers.flashboot.probability', 'workers.flashboot.medianMs', 'workers.flashboot.sigma'] as const)
      assume(p);
    if (cold.revivals > 0) gaps.push({ kind: 'no-flashboot-seen', revivals: cold.revivals });
  }

  // Idle scale-down.
  const idle = fitIdleTimeout(history, jobs, input.health, timeScale);
  if (idle.valueMs === null) {
    assume('workers.idleTimeoutMs');
    gaps.push({ kind: 'no-scale-down' });
  } else {
    // Bounded on one side only (a warm pickup after 144 ms says "at least 144 ms"), the bound
    // is no estimate: replayed and searched as the value, it scaled workers down after 144 ms.
    // The emulator's default stands in, moved to the bound if it lies outside.
    const oneSided = !idle.fitted && (idle.lowMs === null || idle.highMs === null);
    const fallback = Math.min(
      idle.highMs ?? Number.POSITIVE_INFINITY,
      Math.max(idle.lowMs ?? 0, defaults['workers.idleTimeoutMs']),
    );
    put(
      'workers.idleTimeoutMs',
      oneSided ? fallback : idle.valueMs,
      [idle.lowMs ?? 0, idle.highMs ?? Number.POSITIVE_INFINITY],
      idle.fitted ? 'fitted' : 'bound',
      idle.agreeing,
    );
    if (oneSided && fallback === defaults['workers.idleTimeoutMs'])
      (parameters[parameters.length - 1] as FittedValue).valueFrom = 'default';
    if (!idle.fitted) gaps.push({ kind: 'idle-timeout-bound', lowMs: idle.lowMs, highMs: idle.highMs });
  }
  fixInfinity(parameters);

  // Jobs per worker, dispatch.
  const conc = fitConcurrency(history, seed, timeScale);
  if (conc.reached)
    put('workers.concurrency', conc.maxInFlight, [conc.maxInFlight, conc.maxInFlight], 'fitted', conc.queued);
  else if (conc.maxInFlight > 0) {
    put('workers.concurrency', Math.max(conc.maxInFlight, defaults['workers.concurrency']), null, 'bound', 0);
    const last = parameters[parameters.length - 1] as FittedValue;
    last.low = conc.maxInFlight;
    if (last.value !== conc.maxInFlight) last.valueFrom = 'default';
    gaps.push({ kind: 'concurrency-not-reached', maxInFlight: conc.maxInFlight });
  } else assume('workers.concurrency');
  if (conc.dispatchMs !== null)
    put('overhead.dispatchMs', conc.dispatchMs, conc.dispatchInterval, 'fitted', conc.dispatchBasis);
  else put('overhead.dispatchMs', 0, null, 'assumed', 0);

  // What the client sees beyond the endpoint.
  const ttft = decode ? fitTtftOverhead(jobs, decode.firstTokenMs, seed) : undefined;
  if (ttft) put('overhead.ttftMs', ttft.valueMs, ttft.interval, 'fitted', ttft.basis);
  else {
    put('overhead.ttftMs', 0, null, 'assumed', 0);
    if (input.mode !== 'stream' && input.mode !== 'openai-stream') gaps.push({ kind: 'no-stream-timing' });
  }
  const e2e = fitE2eOverhead(jobs, seed);
  if (e2e) put('overhead.e2eMs', e2e.valueMs, e2e.interval, 'fitted', e2e.basis);
  else put('overhead.e2eMs', 0, null, 'assumed', 0);
  gaps.push({ kind: 'endpoint-settings-given' });

  // What the endpoint showed of itself.
  let maxWorkersSeen = 0;
  let minWorkersSeen: number | null = null;
  for (const s of input.health) {
    const live = liveOf(s);
    if (live === undefined) continue;
    maxWorkersSeen = Math.max(maxWorkersSeen, live);
    minWorkersSeen = minWorkersSeen === null ? live : Math.min(minWorkersSeen, live);
  }
  const perVariant = new Map<string, Set<string>>();
  for (const j of jobs) perVariant.set(j.variant, (perVariant.get(j.variant) ?? new Set()).add(j.workerId));
  for (const ids of perVariant.values()) maxWorkersSeen = Math.max(maxWorkersSeen, ids.size);

  return {
    parameters,
    gaps,
    traffic: trafficFacts(input, jobs),
    maxWorkersSeen,
    minWorkersSeen,
    downweighted,
  };
}

/** An open side of an interval is null in the file, not Infinity (JSON has no Infinity). */
function fixInfinity(parameters: FittedValue[]): void {
  for (const p of parameters) {
    if (p.high !== null && !Number.isFinite(p.high)) p.high = null;
    if (p.low !== null && !Number.isFinite(p.low)) p.low = null;
  }
}

function trafficFacts(input: FitInput, jobs: readonly JobObs[]): TrafficFacts {
  const ok = jobs.filter((j) => j.ok);
  const prompts = ok.flatMap((j) => (j.promptTokens === undefined ? [] : [j.promptTokens]));
  const outputs = ok.flatMap((j) => (j.outputTokens === undefined ? [] : [j.outputTokens]));
  const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((s, v) => s + v, 0) / xs.length);
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const j of jobs) {
    start = Math.min(start, j.sentMs);
    end = Math.max(end, j.sentMs + j.e2eMs);
  }
  return {
    mode: input.mode,
    requests: ok.length,
    durationMs: Number.isFinite(start) ? end - start : 0,
    promptTokensP50: quantile(sortedSamples(prompts), 0.5) ?? null,
    promptTokensMean: mean(prompts),
    outputTokensMean: mean(outputs),
    maxTokens: input.sampling.maxTokens,
    minTokens: input.sampling.minTokens,
    ignoreEos: input.sampling.ignoreEos,
  };
}
