// The llama backend: real tokens from a GGUF model through node-llama-cpp, behind the same
// seam as the synthetic model (../worker/backend.ts). Creating it checks everything a user can get
// wrong before the endpoint serves (the package is installed, the model file exists and
// reads as a GGUF) and loads the model's vocabulary alone, which counts and renders prompts
// when jobs are planned. Each worker loads the whole model when it boots (worker.ts).
//
// The context window: llama.contextSize, else the model's training context, at most
// maxModelLen; it replaces maxModelLen for every check a job gets. What the model is called
// on the API (settings.model, /openai/v1/models) does not change with the backend, so a
// scenario written for the synthetic model runs unchanged.
import { RunError, UsageError } from '../../core/errors.js';
import type { EmulatorSettings } from '../settings/schema.js';
import type { Backend } from '../worker/backend.js';
import type { LlamaModel } from './api.js';
import { loadLlamaRuntime } from './runtime.js';
import { resolveModelPath } from './model-path.js';
import { createPromptRenderer } from './prompt-tokens.js';
import { unsupportedByLlama } from './sampling-map.js';
import { LlamaWorker, type LlamaShared } from './worker.js';

export interface LlamaBackend extends Backend {
  readonly modelPath: string;
  /** The chat wrapper jobs with messages get. */
  readonly chatTemplate: string;
  /** Parallel sequences in one worker's context. */
  readonly sequences: number;
}

/** The training context length the GGUF declares (<architecture>.context_length). */
function trainContextOf(model: LlamaModel): number | undefined {
  const metadata = model.fileInfo.metadata;
  const architecture = (metadata.general as { architecture?: unknown } | undefined)?.architecture;
  if (typeof architecture !== 'string') return undefined;
  const length = (metadata[architecture] as { context_length?: unknown } | undefined)?.context_length;
  return typeof length === 'number' && length > 0 ? length : undefined;
}

export async function createLlamaBackend(settings: EmulatorSettings): Promise<LlamaBackend> {
  const modelPath = resolveModelPath(settings.llama.model);
  const runtime = await loadLlamaRuntime().catch((err: unknown) => {
    if (err instanceof UsageError) throw err;
    throw new RunError(
      `node-llama-cpp is installed but its engine did not start: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  let vocabulary: LlamaModel;
  try {
    vocabulary = await runtime.llama.loadModel({ modelPath, vocabOnly: true });
  } catch (err) {
    throw new UsageError(
      `llama.model: ${modelPath} did not load as a GGUF model (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  let vocabularySize = 0;
  for (const _token of vocabulary.iterateAllTokens()) vocabularySize++;
  const contextSize =
    settings.llama.contextSize ?? Math.min(trainContextOf(vocabulary) ?? settings.maxModelLen, settings.maxModelLen);
  const sequences = settings.llama.sequences ?? settings.workers.concurrency;
  const prompts = createPromptRenderer(runtime.module, vocabulary, vocabularySize);
  const shared: LlamaShared = {
    module: runtime.module,
    llama: runtime.llama,
    modelPath,
    prompts,
    contextSize,
    sequences,
    threads: settings.llama.threads,
    stepDelayMs: settings.llama.tokenDelayMs / settings.timeScale,
  };
  const workers = new Set<LlamaWorker>();
  return {
    kind: 'llama',
    modelPath,
    chatTemplate: prompts.chatTemplate,
    sequences,
    tokenizer: prompts,
    maxModelLen: contextSize,
    unsupported: (plan) => unsupportedByLlama(plan, { vocabularySize, sequences }),
    createWorker(_index, _jitterRng, host) {
      const worker = new LlamaWorker(shared, host);
      workers.add(worker);
      return worker;
    },
    async close() {
      // The endpoint halted every worker; wait until their models are freed.
      await Promise.all([...workers].map((worker) => worker.whenFreed()));
      workers.clear();
      await vocabulary.dispose();
    },
  };
}

/** One line for a startup message: which model, which template, how the engine runs. */
export function describeLlama(backend: LlamaBackend, settings: EmulatorSettings): string {
  const delay = settings.llama.tokenDelayMs > 0 ? `, +${settings.llama.tokenDelayMs} ms per decode step` : '';
  return (
    `llama backend: ${backend.modelPath} (chat template: ${backend.chatTemplate}; per worker ${backend.sequences} parallel sequences ` +
    `of ${backend.maxModelLen} tokens, ${settings.llama.threads} thread${settings.llama.threads === 1 ? '' : 's'}${delay})`
  );
}
