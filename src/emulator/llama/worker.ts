// One emulated worker running a real model: its own copy of the model, loaded during the
// worker's cold start, and one context whose parallel sequences decode together. The
// worker runs in steps, as a vLLM engine does: every sequence of every job on it asks
// node-llama-cpp for its next token at once, so they go into one llama_decode batch
// (single-token decodes and the prompts of jobs that arrived meanwhile alike), and the
// next step starts when every token of this one is in. That is continuous batching: a job
// that arrives mid-stream joins the next step. A job waits for free sequences when the
// context has too few.
//
// The tokens of one step are handed to the jobs' emitters together, so n > 1 and the
// legacy batch counts behave as with the synthetic model (worker/engine.ts). tokenDelayMs makes
// each step that much longer.
import type { EngineHost, JobRun, PartialOutput, Sequence, WorkerModel } from '../types.js';
import { addRealToken } from '../worker/sequence.js';
import { settleStep } from '../worker/job-run.js';
import { epochNowMs } from '../clock.js';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, NodeLlamaCpp, Token } from './api.js';
import type { PromptRenderer } from './prompt-tokens.js';
import { IncrementalDetokenizer } from './detokenizer.js';
import { llamaSamplingOf } from './sampling-map.js';
import { evaluateOptionsFor } from './evaluate-options.js';

/** What every worker of one emulator shares. */
export interface LlamaShared {
  module: NodeLlamaCpp;
  llama: Llama;
  modelPath: string;
  prompts: PromptRenderer;
  /** Tokens per sequence. */
  contextSize: number;
  sequences: number;
  threads: number;
  /** Real ms added to each decode step (tokenDelayMs / timeScale). */
  stepDelayMs: number;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  /** Sequences of the context no job holds, their history cleared. */
  free: LlamaContextSequence[];
}

/** A job on this worker. */
interface Active {
  readonly run: JobRun;
  /** Its sequences produced tokens not yet handed to the emitter. */
  dirty: boolean;
}

export class LlamaWorker implements WorkerModel {
  private readonly shared: LlamaShared;
  private readonly host: EngineHost;
  private loaded: Loaded | undefined;
  private loading: Promise<void> | undefined;
  /** Admitted, waiting for enough free sequences (first come, first served). */
  private waiting: Active[] = [];
  private dirty: Active[] = [];
  private flushScheduled = false;
  /** Sequence loops still running (the model is freed only after the last one ends). */
  private loops = 0;
  private unloadWanted = false;
  private halted = false;
  /** Sequences waiting on the engine for a token (the current decode). */
  private inFlight = 0;
  /** The next step: sequences wait on it, it opens once inFlight is 0. */
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  private opening = false;
  private readonly out: PartialOutput[] = [];
  /** Models and contexts being freed. */
  private readonly disposals = new Set<Promise<void>>();

  constructor(shared: LlamaShared, host: EngineHost) {
    this.shared = shared;
    this.host = host;
  }

  /**
   * Resolves once this worker holds no model any more (after halt() or unload()): a load in
   * progress has ended, the sequence loops have seen the flag (at their next token), and the
   * model is disposed. Gives up after `limitMs`; the process frees the rest when it exits.
   */
  async whenFreed(limitMs = 5000): Promise<void> {
    const deadline = performance.now() + limitMs;
    while (performance.now() < deadline) {
      await this.loading?.catch(() => undefined);
      await Promise.all(this.disposals);
      if (this.loaded === undefined && this.loading === undefined && this.loops === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  load(): Promise<void> | undefined {
    if (this.halted) return undefined;
    this.unloadWanted = false;
    if (this.loaded !== undefined) return undefined;
    this.loading ??= this.loadModel().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async loadModel(): Promise<void> {
    const { llama, modelPath, contextSize, sequences, threads } = this.shared;
    const model = await llama.loadModel({ modelPath });
    let context: LlamaContext;
    try {
      context = await model.createContext({ sequences, contextSize, threads });
    } catch (err) {
      await model.dispose();
      throw err;
    }
    const free: LlamaContextSequence[] = [];
    for (let i = 0; i < sequences; i++) free.push(context.getSequence());
    this.loaded = { model, context, free };
    if (this.unloadWanted || this.halted) this.unload();
    else this.pump();
  }

  unload(): void {
    this.unloadWanted = true;
    if (this.loops > 0 || this.loaded === undefined) return; // the last loop (or the load) finishes this
    const { model, context } = this.loaded;
    this.loaded = undefined;
    const disposal: Promise<void> = context
      .dispose()
      .then(() => model.dispose())
      .catch(() => undefined)
      .finally(() => this.disposals.delete(disposal));
    this.disposals.add(disposal);
  }

  halt(): void {
    this.halted = true;
    for (const active of this.waiting) active.run.detached = true;
    this.waiting = [];
    this.unload();
  }

  admit(run: JobRun): void {
    this.waiting.push({ run, dirty: false });
    this.pump();
  }

  detach(run: JobRun): void {
    // The run's loops see the flag at their next token and give their sequences back.
    run.detached = true;
    const at = this.waiting.findIndex((active) => active.run === run);
    if (at !== -1) this.waiting.splice(at, 1);
  }

  /** Starts the waiting jobs whose sequences fit, oldest first. */
  private pump(): void {
    const loaded = this.loaded;
    if (loaded === undefined) {
      if (this.waiting.length > 0 && !this.halted) void this.load();
      return;
    }
    while (this.waiting.length > 0 && !this.halted && !this.unloadWanted) {
      const next = this.waiting[0] as Active;
      if (next.run.detached) {
        this.waiting.shift();
        continue;
      }
      if (loaded.free.length < next.run.sequences.length) return;
      this.waiting.shift();
      this.start(next, loaded);
    }
  }

  private start(active: Active, loaded: Loaded): void {
    const run = active.run;
    const request = run.plan.request;
    if (request === undefined) {
      this.host.fail(run, 'podbench emulator: the job has no prompt for the llama backend', epochNowMs());
      return;
    }
    let prompt = this.shared.prompts.ids(request.prompt);
    // truncate_prompt_tokens keeps the end of the prompt (the plan counted it already).
    if (prompt.length > run.plan.promptTokens) prompt = prompt.slice(prompt.length - run.plan.promptTokens);
    const sampling = llamaSamplingOf(run.plan);
    for (const seq of run.sequences) {
      const handle = loaded.free.pop() as LlamaContextSequence;
      this.loops++;
      void this.generate(active, seq, handle, loaded.model, prompt, sampling);
    }
  }

  private async generate(
    active: Active,
    seq: Sequence,
    handle: LlamaContextSequence,
    model: LlamaModel,
    prompt: Token[],
    sampling: ReturnType<typeof llamaSamplingOf>,
  ): Promise<void> {
    const run = active.run;
    const generated: Token[] = [];
    const detokenizer = new IncrementalDetokenizer(
      (tokens, last) => model.detokenize(tokens, !sampling.skipSpecialTokens, last),
      prompt,
    );
    // The seed of this sequence: sampling_params.seed, else the emulator's seed and the job's index (worker/job-run.ts).
    const seed = seq.rng.int(0, 0x7fffffff);
    const options = evaluateOptionsFor(this.shared.module, model, run.plan, sampling, {
      seed,
      prompt,
      generated,
      produced: () => seq.tokens,
    });
    let asking = false;
    try {
      await this.nextStep();
      if (run.detached || this.halted) return;
      asking = true;
      this.inFlight++;
      for await (const { token } of handle.evaluateWithMetadata(prompt, {}, options)) {
        asking = false;
        this.inFlight--;
        if (run.detached || this.halted) break;
        generated.push(token);
        this.onToken(active, seq, detokenizer, model, token);
        if (seq.finished) break;
        await this.nextStep();
        if (run.detached || this.halted) break;
        asking = true;
        this.inFlight++;
      }
      if (!seq.finished && !run.detached && !this.halted) {
        // node-llama-cpp ended the generation by itself (it should not: EOG tokens are yielded).
        this.host.fail(run, 'podbench emulator: the llama engine stopped generating early', epochNowMs());
      }
    } catch (err) {
      if (!run.detached && !this.halted)
        this.host.fail(run, `llama engine error: ${err instanceof Error ? err.message : String(err)}`, epochNowMs());
    } finally {
      if (asking) this.inFlight--;
      this.openStepWhenDone();
      await this.giveBack(handle);
    }
  }

  /** One token of one sequence: text, stop rules, then the step's emission (batched per decode). */
  private onToken(
    active: Active,
    seq: Sequence,
    detokenizer: IncrementalDetokenizer,
    model: LlamaModel,
    token: Token,
  ): void {
    // A second token before the first was emitted would merge two updates into one: emit first.
    if (seq.stepped) this.flush();
    const plan = active.run.plan;
    const mayStop = seq.tokens >= plan.minTokens;
    let ends: null | number | undefined;
    if (mayStop && !plan.ignoreEos && model.isEogToken(token)) ends = null;
    else if (mayStop && plan.stopTokenIds.includes(token)) ends = token;
    const last = ends !== undefined || seq.tokens + 1 >= plan.maxTokens;
    let piece = ends !== undefined ? '' : detokenizer.push(token);
    if (last) piece += detokenizer.flush();
    addRealToken(seq, plan, active.run.rules, piece, ends);
    if (seq.finished) active.run.active--;
    if (!active.dirty) {
      active.dirty = true;
      this.dirty.push(active);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After every token of this decode has come in (they resolve in one turn of the loop).
      setImmediate(this.flush);
    }
    this.openStepWhenDone();
  }

  /** Hands the step's tokens to each job's emitter and settles each job's step, as worker/engine.ts completeStep does. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const runs = this.dirty;
    if (runs.length === 0 || this.halted) return;
    this.dirty = [];
    const nowMs = epochNowMs();
    const out = this.out;
    for (const active of runs) {
      active.dirty = false;
      const run = active.run;
      if (run.detached) continue;
      out.length = 0;
      run.emitter.step(run.sequences, out);
      for (const seq of run.sequences) seq.stepped = false;
      settleStep(run, out, this.host, nowMs, nowMs);
    }
  };

  /**
   * Resolves when the sequences of the worker may ask for their next token: all together,
   * once every token of the current decode is in, on the next turn of the event loop (or
   * tokenDelayMs later). A new job's prompt joins that same next decode. Steps in lock-step
   * are also what lets a finished sequence be cleared for the next job: node-llama-cpp keeps
   * its context locked for as long as decodes are queued back to back, and sequences asking
   * out of phase would keep it locked while any of them runs (measured before this: 16
   * streams held each new job back 0.7 s, a whole generation).
   */
  private nextStep(): Promise<void> {
    this.gate ??= new Promise((resolve) => (this.openGate = resolve));
    this.openStepWhenDone();
    return this.gate;
  }

  private openStepWhenDone(): void {
    if (this.inFlight > 0 || this.gate === undefined || this.opening) return;
    this.opening = true;
    const open = (): void => {
      const resolve = this.openGate;
      this.opening = false;
      this.gate = undefined;
      this.openGate = undefined;
      resolve?.();
    };
    if (this.shared.stepDelayMs > 0) setTimeout(open, this.shared.stepDelayMs);
    else setImmediate(open);
  }

  private async giveBack(handle: LlamaContextSequence): Promise<void> {
    try {
      if (!this.unloadWanted) await handle.clearHistory();
    } catch {
      // a disposed context: nothing to give back to
    }
    this.loops--;
    if (this.unloadWanted) {
      if (this.loops === 0) this.unload();
      return;
    }
    this.loaded?.free.push(handle);
    this.pump();
  }
}
