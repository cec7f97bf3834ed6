// A job input as worker-vllm <= v2.23.0 reads it (src/utils.py JobInput, src/engine.py):
//
//   llm_input = input.get("messages", input.get("prompt"))   a list gets the chat template;
//                                                            apply_chat_template wraps a string
//   SamplingParams(**sampling_params), max_tokens injected as 100 when absent
//   stream (Python truthiness), max_batch_size / min_batch_size / batch_size_growth_factor
//   openai_route + openai_input: vLLM's OpenAI serving classes instead (legacy-openai path)
import type { EmulatorSettings } from '../settings/schema.js';
import type { JobPlan } from './generation-plan.js';
import { validateSampling } from './sampling.js';
import { batchConfigFromInput } from './batch-config.js';
import { pythonTruthy, pythonType } from './python-repr.js';
import type { ChatMessageLike } from './tokens.js';
import { ESTIMATING_TOKENIZER, type PromptInput, type PromptTokenizer } from './prompt.js';
import { openaiJobPlan, parseOpenAIRequest } from './openai-request.js';
import { badRequest, workerError } from './worker-errors.js';
import { isObject } from './json.js';

/** worker-vllm >= v2.1.0 injects this when sampling_params has no max_tokens. */
export const LEGACY_DEFAULT_MAX_TOKENS = 100;

const OPENAI_ROUTES = new Set(['/v1/models', '/v1/chat/completions', '/v1/completions']);

export function planLegacyJob(
  input: Record<string, unknown>,
  settings: EmulatorSettings,
  tokenizer: PromptTokenizer = ESTIMATING_TOKENIZER,
): JobPlan {
  const handlerError = (message: string): JobPlan => ({
    kind: 'reject',
    error: workerError(badRequest(message), 'legacy-handler'),
  });
  const engineError = (message: string): JobPlan => ({
    kind: 'reject',
    error: workerError(badRequest(message), 'legacy-engine'),
  });

  // JobInput.__init__ runs first for every job, OpenAI ones included.
  const rawParams = 'sampling_params' in input ? input.sampling_params : {};
  if (!isObject(rawParams)) {
    if (rawParams === null || typeof rawParams === 'number' || typeof rawParams === 'boolean') {
      return handlerError(`argument of type '${pythonType(rawParams)}' is not iterable`);
    }
    return handlerError(
      `vllm.sampling_params.SamplingParams() argument after ** must be a mapping, not ${pythonType(rawParams)}`,
    );
  }
  const params = 'max_tokens' in rawParams ? rawParams : { ...rawParams, max_tokens: LEGACY_DEFAULT_MAX_TOKENS };
  const sampling = validateSampling(params, 'engine');
  if (!sampling.ok) return handlerError(sampling.message);
  const batch = batchConfigFromInput(input, settings.batching);
  if ('error' in batch) return handlerError(batch.error);

  if (pythonTruthy(input.openai_route)) return planLegacyOpenAI(input, settings, tokenizer);

  const llmInput = 'messages' in input ? input.messages : input.prompt;
  let prompt: PromptInput;
  if (Array.isArray(llmInput)) {
    if (!llmInput.every((m) => isObject(m) && typeof m.role === 'string')) {
      return engineError('Invalid chat messages: each message must be an object with a string "role"');
    }
    prompt = { kind: 'chat', messages: llmInput as ChatMessageLike[] };
  } else if (typeof llmInput === 'string') {
    prompt = pythonTruthy(input.apply_chat_template)
      ? { kind: 'chat', messages: [{ role: 'user', content: llmInput }] }
      : { kind: 'text', text: llmInput };
  } else {
    // vLLM's generate() with no prompt: the wording is the emulator's, the shape is the engine's.
    return engineError(`prompt must be a string or a list of chat messages, got ${pythonType(llmInput)}`);
  }
  const spec = sampling.spec;
  const counted = tokenizer.count(prompt);
  if (!counted.ok) return engineError(counted.problem.message);
  let promptTokens = counted.value;
  if (spec.truncatePromptTokens !== undefined) promptTokens = Math.min(promptTokens, spec.truncatePromptTokens);
  if (promptTokens > settings.maxModelLen) {
    return engineError(
      `The decoder prompt (length ${promptTokens}) is longer than the maximum model length of ${settings.maxModelLen}. Make sure that \`max_model_len\` is no smaller than the number of text tokens.`,
    );
  }
  // The engine path does not reject prompt + max_tokens beyond the context window: vLLM's
  // scheduler ends the sequence with finish_reason "length" when the window is full.
  const room = Math.max(1, settings.maxModelLen - promptTokens);
  const maxTokens = Math.min(spec.maxTokens ?? room, room);
  return {
    kind: 'generate',
    promptTokens,
    n: spec.n,
    bestOf: spec.bestOf,
    maxTokens,
    minTokens: Math.min(spec.minTokens, maxTokens),
    ignoreEos: spec.ignoreEos,
    stop: spec.stop,
    stopTokenIds: spec.stopTokenIds,
    includeStopStrInOutput: spec.includeStopStrInOutput,
    seed: spec.seed,
    output: { kind: 'legacy-tokens', stream: pythonTruthy(input.stream), batch: batch.config },
    errorSite: 'legacy-engine',
    request: { prompt, params },
  };
}

/** OpenAIvLLMEngine.generate: models, chat/completions (SSE batched with the env defaults), else "Invalid route". */
function planLegacyOpenAI(
  input: Record<string, unknown>,
  settings: EmulatorSettings,
  tokenizer: PromptTokenizer,
): JobPlan {
  const route = input.openai_route;
  const openaiError = (message: string): JobPlan => ({
    kind: 'reject',
    error: workerError(badRequest(message), 'legacy-openai'),
  });
  if (typeof route !== 'string' || !OPENAI_ROUTES.has(route)) return openaiError('Invalid route');
  if (route === '/v1/models') return { kind: 'models', model: settings.model, maxModelLen: settings.maxModelLen };
  const body = input.openai_input;
  if (!isObject(body)) {
    return openaiError(
      `vllm.entrypoints.openai.protocol.${route === '/v1/completions' ? 'CompletionRequest' : 'ChatCompletionRequest'}() argument after ** must be a mapping, not ${pythonType(body)}`,
    );
  }
  const api = route === '/v1/completions' ? 'completions' : 'chat';
  const parsed = parseOpenAIRequest(api, body, settings, tokenizer);
  if (!parsed.ok) return { kind: 'reject', error: workerError(parsed.problem, 'legacy-openai') };
  return openaiJobPlan(api, parsed.value, settings, 'legacy-batched', 'legacy-openai');
}
