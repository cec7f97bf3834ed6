// A job while a worker generates it: its sequences (best_of of them, n returned), the
// emitter that shapes partial outputs, and the fault this job is destined to meet, if any.
// Everything random about the job is drawn from an RNG forked from (seed, job index), or
// from sampling_params.seed, so a given seed replays the same texts, lengths and faults.
import type { Rng } from '../../util/rng.js';
import { createRng } from '../../util/rng.js';
import type { EmulatorSettings } from '../settings/schema.js';
import type { GenerationPlan } from '../formats/generation-plan.js';
import type { EngineHost, Job, JobFault, JobRun, PartialOutput, Sequence } from '../types.js';
import { createSequence, stopRulesFor } from './sequence.js';
import { createEmitter } from './output-emitter.js';

export function drawJobFault(settings: EmulatorSettings, rng: Rng, plan: GenerationPlan): JobFault | undefined {
  const { failed, timeout, crash, stall } = settings.faults;
  if (failed + timeout + crash + stall === 0) return undefined;
  const r = rng.next();
  const afterTokens = Math.floor(rng.next() * plan.maxTokens);
  let edge = failed;
  if (r < edge) return { kind: 'failed', afterTokens };
  edge += timeout;
  if (r < edge) return { kind: 'timeout', afterTokens: plan.maxTokens };
  edge += crash;
  if (r < edge) return { kind: 'crash', afterTokens };
  edge += stall;
  if (r < edge) return { kind: 'stall', afterTokens };
  return undefined;
}

export function createJobRun(
  job: Job,
  plan: GenerationPlan,
  settings: EmulatorSettings,
  jobRng: Rng,
  nowMs: number,
): JobRun {
  // sampling_params.seed makes the text depend on the seed alone, as in vLLM.
  const textRng = plan.seed === undefined ? jobRng.fork('text') : createRng(plan.seed).fork('text');
  const sequences: Sequence[] = [];
  for (let i = 0; i < plan.bestOf; i++) sequences.push(createSequence(textRng.fork(i), i < plan.n));
  // The OpenAI response id carries the job's uuid (chatcmpl-<32 hex>), so a harness can
  // look a streamed answer's ground truth up (/_emulator/jobs/chatcmpl-...).
  const responseId = `${plan.output.kind === 'openai' && plan.output.api === 'completions' ? 'cmpl-' : 'chatcmpl-'}${responseHexOf(job.id)}`;
  return {
    job,
    plan,
    sequences,
    rules: stopRulesFor(plan),
    emitter: createEmitter(plan, { responseId, createdS: Math.floor(Date.now() / 1000), rng: jobRng.fork('slices') }),
    fault: drawJobFault(settings, jobRng.fork('faults'), plan),
    active: sequences.length,
    admitAt: nowMs,
    prefillTokens: plan.promptTokens,
    detached: false,
    stepOut: [],
    preparedStep: 0,
  };
}

/** What became of a run at the end of a step (see settleStep). */
export type StepOutcome = 'continues' | 'struck' | 'completed';

/**
 * A run's step is over and its emitter has turned it into `out`: its fault strikes (a failure
 * or a crash loses what the step produced; a stall still delivers it), or it completes with
 * its last partials, or it goes on after publishing what it has. Every engine ends its steps
 * here (engine.ts for the synthetic model, llama/worker.ts for a real one).
 */
export function settleStep(
  run: JobRun,
  out: PartialOutput[],
  host: EngineHost,
  nowMs: number,
  dueAt: number,
): StepOutcome {
  const fault = run.fault;
  if (
    fault !== undefined &&
    fault.kind !== 'timeout' &&
    ((run.sequences[0]?.tokens ?? 0) >= fault.afterTokens || run.active === 0)
  ) {
    if (fault.kind === 'stall') host.publish(run, out, nowMs, dueAt);
    run.detached = true;
    host.strike(run, nowMs);
    return 'struck';
  }
  if (run.active === 0) {
    run.emitter.finish(run.sequences, out);
    run.detached = true;
    host.publish(run, out, nowMs, dueAt);
    host.complete(run, nowMs);
    return 'completed';
  }
  if (out.length > 0) host.publish(run, out, nowMs, dueAt);
  return 'continues';
}

/** The 32 hex digits of a job id's uuid ("sync-" prefix and "-u1" suffix left out). */
export function responseHexOf(jobId: string): string {
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(jobId)?.[0] ?? jobId;
  return uuid.replaceAll('-', '');
}
