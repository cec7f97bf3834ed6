// An OpenAI chat/completions request body as vLLM's OpenAI server reads it: the proxy
// worker sends every job there, and both workers send /openai/v1/... jobs there. Returns
// the work to do, or the 4xx problem vLLM would answer.
import type { GenerationPlan, JobPlan, OpenAIApi } from './generation-plan.js';
import type { BatchSizeConfig } from './batch-config.js';
import type { ChatMessageLike } from './tokens.js';
import { ESTIMATING_TOKENIZER, type PromptInput, type PromptTokenizer } from './prompt.js';
import { validateSampling } from './sampling.js';
import { badRequest, type ErrorSite, type ProblemOr, type VllmProblem } from './worker-errors.js';
import { isObject } from './json.js';

export interface OpenAIWork {
  generation: Omit<GenerationPlan, 'kind' | 'output' | 'errorSite'>;
  stream: boolean;
  includeUsage: boolean;
  continuousUsage: boolean;
}

export interface ModelLimits {
  model: string;
  maxModelLen: number;
}

const REQUEST_CLASS: Record<OpenAIApi, string> = { chat: 'ChatCompletionRequest', completions: 'CompletionRequest' };

function fieldRequired(api: OpenAIApi, field: string): VllmProblem {
  return badRequest(
    `1 validation error for ${REQUEST_CLASS[api]}\n${field}\n  Field required [type=missing, input_value={...}, input_type=dict]`,
  );
}

/** The request's messages or prompt, or the problem with them. */
function promptOf(api: OpenAIApi, body: Record<string, unknown>): ProblemOr<PromptInput> {
  if (api === 'chat') {
    const messages = body.messages;
    if (messages === undefined) return { ok: false, problem: fieldRequired(api, 'messages') };
    if (!Array.isArray(messages) || !messages.every((m) => isObject(m) && typeof m.role === 'string')) {
      return { ok: false, problem: badRequest('messages must be a list of objects, each with a string "role"') };
    }
    return { ok: true, value: { kind: 'chat', messages: messages as ChatMessageLike[] } };
  }
  let prompt = body.prompt;
  if (prompt === undefined) return { ok: false, problem: fieldRequired(api, 'prompt') };
  // A list holding one prompt is that prompt; several prompts in one request (vLLM's
  // batched completions) are not emulated.
  if (Array.isArray(prompt) && prompt.length === 1 && (typeof prompt[0] === 'string' || Array.isArray(prompt[0])))
    prompt = prompt[0];
  if (typeof prompt === 'string') return { ok: true, value: { kind: 'text', text: prompt } };
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((t) => typeof t === 'number' && Number.isInteger(t))) {
    return { ok: true, value: { kind: 'token-ids', ids: prompt as number[] } };
  }
  if (Array.isArray(prompt) && prompt.length > 1) {
    return {
      ok: false,
      problem: badRequest('podbench emulator: batched prompts (a list of several prompts) are not supported'),
    };
  }
  return {
    ok: false,
    problem: badRequest('prompt must be a string, a list of token ids, or a list holding one of those'),
  };
}

export function parseOpenAIRequest(
  api: OpenAIApi,
  body: unknown,
  limits: ModelLimits,
  tokenizer: PromptTokenizer = ESTIMATING_TOKENIZER,
): ProblemOr<OpenAIWork> {
  if (!isObject(body)) {
    return {
      ok: false,
      problem: badRequest(
        `1 validation error for ${REQUEST_CLASS[api]}\n  Input should be a valid dictionary [type=dict_type]`,
      ),
    };
  }
  if (body.model !== undefined && body.model !== null && body.model !== limits.model) {
    return {
      ok: false,
      problem: { message: `The model \`${String(body.model)}\` does not exist.`, type: 'NotFoundError', status: 404 },
    };
  }
  const prompt = promptOf(api, body);
  if (!prompt.ok) return prompt;
  const stream = body.stream === true || body.stream === 1;
  const options = body.stream_options;
  if (options !== undefined && options !== null) {
    if (!stream) return { ok: false, problem: badRequest('Stream options can only be defined when `stream=True`.') };
    if (!isObject(options)) return { ok: false, problem: badRequest('stream_options must be an object') };
  }
  const sampling = validateSampling(body, 'openai', REQUEST_CLASS[api]);
  if (!sampling.ok) return { ok: false, problem: badRequest(sampling.message) };
  const spec = sampling.spec;
  const counted = tokenizer.count(prompt.value);
  if (!counted.ok) return counted;
  let promptTokens = counted.value;
  if (spec.truncatePromptTokens !== undefined) promptTokens = Math.min(promptTokens, spec.truncatePromptTokens);
  if (promptTokens > limits.maxModelLen) {
    return {
      ok: false,
      problem: badRequest(
        `This model's maximum context length is ${limits.maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`,
      ),
    };
  }
  // vLLM's defaults: CompletionRequest.max_tokens = 16; a chat request without one may use
  // the rest of the context window.
  const maxTokens =
    spec.maxTokens ?? (api === 'completions' && spec.maxTokens === undefined ? 16 : limits.maxModelLen - promptTokens);
  if (promptTokens + maxTokens > limits.maxModelLen) {
    return {
      ok: false,
      problem: badRequest(
        `This model's maximum context length is ${limits.maxModelLen} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
      ),
    };
  }
  const opts = isObject(options) ? options : {};
  return {
    ok: true,
    value: {
      generation: {
        promptTokens,
        n: spec.n,
        bestOf: spec.bestOf,
        maxTokens: Math.max(1, maxTokens),
        minTokens: spec.minTokens,
        ignoreEos: spec.ignoreEos,
        stop: spec.stop,
        stopTokenIds: spec.stopTokenIds,
        includeStopStrInOutput: spec.includeStopStrInOutput,
        seed: spec.seed,
        request: { prompt: prompt.value, params: body },
      },
      stream,
      includeUsage: stream && opts.include_usage === true,
      continuousUsage: stream && opts.continuous_usage_stats === true,
    },
  };
}

/**
 * The job an OpenAI request becomes, on either worker: legacy batches its SSE events with the
 * env defaults only (reference §2.3), proxy passes vLLM's bytes through in raw slices.
 */
export function openaiJobPlan(
  api: OpenAIApi,
  work: OpenAIWork,
  worker: { batching: BatchSizeConfig; model: string },
  delivery: 'legacy-batched' | 'raw-slices',
  errorSite: ErrorSite,
): JobPlan {
  return {
    kind: 'generate',
    ...work.generation,
    output: {
      kind: 'openai',
      api,
      stream: work.stream,
      includeUsage: work.includeUsage,
      continuousUsage: work.continuousUsage,
      delivery,
      batch: worker.batching,
      model: worker.model,
    },
    errorSite,
  };
}
