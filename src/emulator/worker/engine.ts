// One worker's vLLM engine as a continuous-batching step loop. Every decode step gives one
// token to each active sequence of every admitted job; a job picked up mid-step joins at
// the next step, and its prompt's prefill lengthens the step it joins. A step lasts
//
//   (stepMs + stepMsPerSequence x (activeSequences - 1) + prefillMsPerToken x admittedPromptTokens)
//     x (1 + jitter x uniform(-1, 1))            emulated ms, / timeScale in real time
//
// so one request streams slower as the batch grows while the worker's total tokens per
// second rise, as on a GPU. The loop is driven by one timeline entry per busy worker; a
// step ends at its modelled due time and the next one starts there, so when the event loop
// is late the steps that fell due are caught up in order (never a timer per token).
//
// A step's tokens and the partials they make are generated when the step starts
// (prepareStep), not when it ends: they depend on nothing that happens during the step
// (every sequence and every job draws from its own seeded RNG), and a step of 500 streams
// that has to generate and render 500 tokens at its end hands the last stream its token
// later than one that only has to publish them. Nothing is published before the step's end.
// The host runs that preparation once the step that just ended has been answered
// (EngineHost.prepareLater), so the next step's 500 tokens are not generated between a
// step's end and the writes of its own tokens; a step that falls due before its
// preparation ran is prepared when it completes.
import type { Rng } from '../../util/rng.js';
import type { EmulatorSettings } from '../settings/schema.js';
import type { EngineHost, JobRun, WorkerEngine } from '../types.js';
import { advanceSequence } from './sequence.js';
import { settleStep } from './job-run.js';

export function createEngine(workerIndex: number, jitterRng: Rng): WorkerEngine {
  return {
    workerIndex,
    runs: [],
    pending: [],
    stepping: false,
    busy: false,
    halted: false,
    jitterRng,
    spare: [],
    stepEndAt: 0,
    step: 0,
    prepared: true,
  };
}

/** A job picked up by this worker: it joins the next step (one starts now if the engine is idle). */
export function admit(engine: WorkerEngine, run: JobRun, settings: EmulatorSettings, host: EngineHost): void {
  // Handed the slot of a job that ended in the step being completed: it joins the next
  // step, which starts at that step's modelled end, however late the event loop ran it.
  if (engine.busy && run.admitAt > engine.stepEndAt) run.admitAt = engine.stepEndAt;
  engine.pending.push(run);
  if (!engine.stepping && !engine.busy && !engine.halted) beginStep(engine, run.admitAt, settings, host);
}

/** Takes a run off the engine (cancel, timeout, stall, crash); it produces nothing more. */
export function detach(engine: WorkerEngine, run: JobRun): void {
  if (run.detached) return;
  run.detached = true;
  const inRuns = engine.runs.indexOf(run);
  if (inRuns !== -1) engine.runs.splice(inRuns, 1);
  const inPending = engine.pending.indexOf(run);
  if (inPending !== -1) engine.pending.splice(inPending, 1);
}

export function stepDurationMs(
  settings: EmulatorSettings,
  sequences: number,
  prefillTokens: number,
  jitterDraw: number,
): number {
  const g = settings.generation;
  const base = g.stepMs + g.stepMsPerSequence * Math.max(0, sequences - 1) + g.prefillMsPerToken * prefillTokens;
  return Math.max(0, base * (1 + g.jitter * (2 * jitterDraw - 1)));
}

function beginStep(engine: WorkerEngine, startAt: number, settings: EmulatorSettings, host: EngineHost): void {
  let sequences = 0;
  for (const run of engine.runs) sequences += run.active;
  if (sequences === 0 && engine.pending.length > 0) {
    // Idle engine: the next step starts when the earliest waiting job arrived.
    let earliest = Number.POSITIVE_INFINITY;
    for (const run of engine.pending) earliest = Math.min(earliest, run.admitAt);
    startAt = Math.max(startAt, earliest);
  }
  let prefill = 0;
  if (engine.pending.length > 0) {
    const waiting: JobRun[] = [];
    for (const run of engine.pending) {
      if (run.admitAt <= startAt) {
        engine.runs.push(run);
        sequences += run.active;
        prefill += run.prefillTokens;
        run.prefillTokens = 0;
      } else {
        waiting.push(run);
      }
    }
    engine.pending = waiting;
  }
  if (sequences === 0) {
    engine.stepping = false;
    return;
  }
  const durationMs = stepDurationMs(settings, sequences, prefill, engine.jitterRng.next());
  engine.stepping = true;
  engine.step++;
  engine.prepared = false;
  host.scheduleStep(engine, startAt + durationMs / settings.timeScale);
  host.prepareLater(engine);
}

/**
 * The step begun last: one token per active sequence, and each run's partials in
 * run.stepOut (published at its end), for at most `maxRuns` runs not done yet (so the host
 * can spread a large batch over several turns of the event loop). Returns whether the whole
 * step is prepared; does nothing when it was, or when the engine has no step scheduled.
 */
export function prepareStep(engine: WorkerEngine, settings: EmulatorSettings, maxRuns = Infinity): boolean {
  if (engine.prepared || !engine.stepping) return true;
  const eos = settings.generation.eosProbability;
  const step = engine.step;
  let budget = maxRuns;
  // A run detached meanwhile left the list (splice): the marks, not positions, say what is done.
  for (const run of engine.runs) {
    if (run.preparedStep === step) continue;
    if (budget-- <= 0) return false;
    run.preparedStep = step;
    const out = run.stepOut;
    out.length = 0;
    for (const seq of run.sequences) {
      if (seq.finished) {
        seq.stepped = false;
        continue;
      }
      advanceSequence(seq, run.plan, run.rules, eos);
      seq.stepped = true;
      if (seq.finished) run.active--;
    }
    run.emitter.step(run.sequences, out);
  }
  engine.prepared = true;
  return true;
}

/** The step due at `dueAt` has ended: its partials (prepared when it began) are published, runs complete. */
export function completeStep(
  engine: WorkerEngine,
  dueAt: number,
  nowMs: number,
  settings: EmulatorSettings,
  host: EngineHost,
): void {
  prepareStep(engine, settings);
  engine.stepping = false;
  engine.busy = true;
  engine.stepEndAt = dueAt;
  const runs = engine.runs;
  engine.runs = engine.spare;
  engine.runs.length = 0;
  for (const run of runs) {
    if (run.detached) continue;
    const outcome = settleStep(run, run.stepOut, host, nowMs, dueAt);
    if (outcome === 'continues') engine.runs.push(run);
    else if (outcome === 'struck' && engine.halted) break; // a crash of this worker
  }
  engine.busy = false;
  runs.length = 0;
  engine.spare = runs;
  if (!engine.halted) beginStep(engine, dueAt, settings, host);
}
