// Request bodies exactly as worker-vllm expects them (the user's document, "Send requests
// to vLLM workers"), for every mode and input format. Pure.
import type { Mode } from '../core/record.js';
import { jobPolicy, runsyncWaitMs } from './job-policy.js';
import type { PromptItem } from './prompts.js';
import type { Scenario } from './schema.js';

export interface Submission {
  /** Path under the endpoint URL, with its query, e.g. "/runsync?wait=90000". */
  path: string;
  body: Record<string, unknown>;
}

export type OpenAiRoute = '/v1/chat/completions' | '/v1/completions';

export function isOpenAiMode(mode: Mode): boolean {
  return mode === 'openai' || mode === 'openai-stream';
}

export function isStreamingMode(mode: Mode): boolean {
  return mode === 'stream' || mode === 'openai-stream';
}

/** Which OpenAI route a format goes to (chat for messages, completions for a prompt). */
export function openAiRouteFor(scenario: Scenario): OpenAiRoute {
  const { format } = scenario.input;
  return format === 'messages' || format === 'openai_chat' ? '/v1/chat/completions' : '/v1/completions';
}

/** True when the request needs a model name (OpenAI bodies carry one). */
export function needsModel(scenario: Scenario): boolean {
  const { format } = scenario.input;
  return isOpenAiMode(scenario.mode) || format === 'openai_chat' || format === 'openai_completions';
}

/**
 * A prompt's expected output length, in the sampling parameters vLLM honours: max_tokens,
 * and with input.exactOutput min_tokens as well and ignore_eos, so the model neither stops
 * early nor runs long. They win over sampling_params: the workload row is the more specific.
 */
export function lengthParams(scenario: Scenario, prompt: PromptItem): Record<string, unknown> {
  const n = prompt.outputTokens;
  if (n === undefined) return {};
  return scenario.input.exactOutput ? { max_tokens: n, min_tokens: n, ignore_eos: true } : { max_tokens: n };
}

/** The body of an OpenAI-style request: sampling params are top-level fields there. */
function openAiBody(scenario: Scenario, prompt: PromptItem, model: string, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { model, ...scenario.sampling_params, ...lengthParams(scenario, prompt) };
  if (prompt.kind === 'messages') body.messages = prompt.messages;
  else body.prompt = prompt.text;
  body.stream = stream;
  // Without include_usage a streamed answer carries no token counts at all.
  if (stream) body.stream_options = { include_usage: true, ...(body.stream_options as object | undefined) };
  return body;
}

/** The `input` object of a native (/run, /runsync) job. */
export function nativeInput(
  scenario: Scenario,
  prompt: PromptItem,
  model: string | undefined,
  stream: boolean,
): Record<string, unknown> {
  const { format } = scenario.input;
  if (format === 'openai_chat' || format === 'openai_completions') {
    // worker-vllm's OpenAI path through the queue: the same input the platform builds for /openai/v1/*.
    return {
      openai_route: openAiRouteFor(scenario),
      openai_input: openAiBody(scenario, prompt, model ?? '', stream),
    };
  }
  const input: Record<string, unknown> =
    prompt.kind === 'messages' ? { messages: prompt.messages } : { prompt: prompt.text };
  if (format === 'prompt_chat_template') input.apply_chat_template = true;
  input.sampling_params = { ...scenario.sampling_params, ...lengthParams(scenario, prompt) };
  if (stream) input.stream = true;
  for (const [key, value] of Object.entries(scenario.stream)) {
    if (value !== undefined) input[key] = value;
  }
  return input;
}

export function buildSubmission(scenario: Scenario, prompt: PromptItem, model: string | undefined): Submission {
  const { mode } = scenario;
  switch (mode) {
    // Every job carries its policy (src/scenario/job-policy.ts): none outlives the run's interest in it.
    case 'sync':
      return {
        path: `/runsync?wait=${runsyncWaitMs(scenario)}`,
        body: { input: nativeInput(scenario, prompt, model, false), policy: jobPolicy(scenario) },
      };
    case 'async':
      return {
        path: '/run',
        body: { input: nativeInput(scenario, prompt, model, false), policy: jobPolicy(scenario) },
      };
    case 'stream':
      return { path: '/run', body: { input: nativeInput(scenario, prompt, model, true), policy: jobPolicy(scenario) } };
    case 'openai':
    case 'openai-stream':
      return {
        path: `/openai${openAiRouteFor(scenario)}`,
        body: openAiBody(scenario, prompt, model ?? '', mode === 'openai-stream'),
      };
    default: {
      const never: never = mode;
      throw new Error(`unknown mode ${String(never)}`);
    }
  }
}
