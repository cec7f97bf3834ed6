// The seam between the emulated platform (queue, workers, scaling, output formats) and what
// generates the tokens. Everything above it is shared: a job is planned by the same parsers,
// picked up by the same fleet, and its tokens become partial outputs through the same
// emitters (output-emitter.ts), so both backends answer in the same shapes.
//
//   synthetic  seeded made-up text, decode steps modelled on a timeline (engine.ts)
//   llama      a real GGUF model through node-llama-cpp (llama/), loaded on demand
//
// A backend is a plain object; each worker slot owns one WorkerModel made by it.
import type { Rng } from '../../util/rng.js';
import type { EmulatorSettings } from '../settings/schema.js';
import type { GenerationPlan } from '../formats/generation-plan.js';
import type { PromptTokenizer } from '../formats/prompt.js';
import type { VllmProblem } from '../formats/worker-errors.js';
import { ESTIMATING_TOKENIZER } from '../formats/prompt.js';
import type { EngineHost, WorkerModel } from '../types.js';
import { admit, createEngine, detach } from './engine.js';

export type BackendKind = EmulatorSettings['backend'];

/** What planning a job needs from a backend. */
export interface PlanningModel {
  /** Counts prompt tokens when a job is planned (the estimate, or the real tokenizer). */
  readonly tokenizer: PromptTokenizer;
  /** A 400 for a plan vLLM would run but this backend cannot (beam search on llama.cpp). */
  unsupported(plan: GenerationPlan): VllmProblem | undefined;
}

export interface Backend extends PlanningModel {
  readonly kind: BackendKind;
  /** Tokens per sequence the planners check prompts and max_tokens against. */
  readonly maxModelLen: number;
  createWorker(index: number, jitterRng: Rng, host: EngineHost): WorkerModel;
  /** Frees what the backend itself holds (its tokenizer model). */
  close(): Promise<void>;
}

export const SYNTHETIC_PLANNING: PlanningModel = { tokenizer: ESTIMATING_TOKENIZER, unsupported: () => undefined };

/** The synthetic model: engine.ts's step loop, nothing to load. */
export function syntheticBackend(settings: EmulatorSettings): Backend {
  return {
    kind: 'synthetic',
    ...SYNTHETIC_PLANNING,
    maxModelLen: settings.maxModelLen,
    createWorker(index, jitterRng, host) {
      const engine = createEngine(index, jitterRng);
      return {
        admit: (run) => admit(engine, run, settings, host),
        detach: (run) => detach(engine, run),
        load: () => undefined,
        unload: () => undefined,
        halt: () => {
          engine.halted = true;
        },
      };
    },
    close: () => Promise.resolve(),
  };
}
