// What a worker will do with a job, decided once from its input: generate (with which
// shape of output), list the model, or fail. The job-input parsers (legacy-input.ts,
// proxy-input.ts, openai-request.ts) produce these plain objects; the engine runs them.
import type { BatchSizeConfig } from './batch-config.js';
import type { ErrorSite, WorkerError } from './worker-errors.js';
import type { ModelRequest } from './prompt.js';

export type OpenAIApi = 'chat' | 'completions';

/** How generated tokens become the job's partial outputs. */
export type OutputFormat =
  /** Legacy native: {choices:[{tokens}], usage} items, batched by BatchSize when streaming. */
  | { kind: 'legacy-tokens'; stream: boolean; batch: BatchSizeConfig }
  /**
   * vLLM OpenAI JSON (non-stream) or SSE text (stream). The legacy worker batches SSE events
   * with the env-default BatchSize and yields strings; the proxy worker yields whatever the
   * socket read returned (byte slices).
   */
  | {
      kind: 'openai';
      api: OpenAIApi;
      stream: boolean;
      includeUsage: boolean;
      continuousUsage: boolean;
      delivery: 'legacy-batched' | 'raw-slices';
      batch: BatchSizeConfig;
      model: string;
    };

export interface GenerationPlan {
  kind: 'generate';
  /** Prompt tokens after the chat template and truncate_prompt_tokens. */
  promptTokens: number;
  /** Sequences returned. */
  n: number;
  /** Sequences generated (best_of >= n); the extra ones cost work and are dropped. */
  bestOf: number;
  maxTokens: number;
  minTokens: number;
  ignoreEos: boolean;
  stop: string[];
  stopTokenIds: number[];
  includeStopStrInOutput: boolean;
  /** sampling_params.seed: when given, the text depends on it instead of the job's index. */
  seed: number | undefined;
  output: OutputFormat;
  /** Where an injected failure of this job appears to come from. */
  errorSite: ErrorSite;
  /**
   * The prompt and sampling values a real model needs (the parsers always set it; the
   * synthetic backend never reads it, so hand-made plans in tests may leave it out).
   */
  request?: ModelRequest;
}

export type JobPlan =
  | GenerationPlan
  | { kind: 'models'; model: string; maxModelLen: number }
  | { kind: 'reject'; error: WorkerError };
