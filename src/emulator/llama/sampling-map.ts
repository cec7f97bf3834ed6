// vLLM's sampling parameters on llama.cpp (through node-llama-cpp), and the ones that have
// no equivalent there, refused with a 400 in the worker's error shape (as vLLM refuses an
// invalid value). formats/sampling.ts has already checked types and ranges with vLLM's rules; the
// parameters that shape the work (n, best_of, max_tokens, min_tokens, stop, stop_token_ids,
// ignore_eos, include_stop_str_in_output, truncate_prompt_tokens, seed) are in the plan and
// handled by the worker (worker.ts). Pure: the plan in, options or a problem out.
//
//   temperature (1.0)          temperature; 0 is greedy
//   top_p (1.0), min_p (0)     topP, minP
//   top_k (-1: all)            topK (0: all)
//   repetition_penalty (1.0)   repeatPenalty.penalty, over prompt + generated tokens (vLLM's scope)
//   presence_penalty (0)       repeatPenalty.presencePenalty, over generated tokens (vLLM's scope;
//   frequency_penalty (0)      repeatPenalty.frequencyPenalty  with repetition_penalty != 1 as well,
//                              the prompt too: llama.cpp has one token list for all three)
//   logit_bias                 tokenBias (logit added)
//   skip_special_tokens        detokenize(specialTokens = !skip_special_tokens)
//   spaces_between_special_tokens   accepted, no effect (llama.cpp's detokenizer has no such switch)
//   use_beam_search: true, length_penalty != 1, early_stopping != false     refused (no beam search)
//   logprobs, prompt_logprobs, allowed_token_ids, bad_words, guided decoding / structured
//   outputs / response_format json, logits_processors, detokenize: false    refused
import type { GenerationPlan } from '../formats/generation-plan.js';
import { badRequest, type VllmProblem } from '../formats/worker-errors.js';
import type { Token } from './api.js';

export interface LlamaSampling {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  repetitionPenalty: number;
  presencePenalty: number;
  frequencyPenalty: number;
  /** Added to the logit of each token. */
  logitBias: Array<[Token, number]>;
  /** Special tokens (an end of sequence under ignore_eos) are shown as text when false. */
  skipSpecialTokens: boolean;
}

export interface LlamaLimits {
  vocabularySize: number;
  /** Parallel sequences of a worker's context: best_of sequences must fit at once. */
  sequences: number;
}

/** null and absent both mean "the default" (OpenAI clients send null). */
function given(params: Record<string, unknown>, key: string): unknown {
  const value = params[key];
  return value === null ? undefined : value;
}

/** vLLM reads booleans as numbers (True is 1); formats/sampling.ts has rejected anything else. */
function num(params: Record<string, unknown>, key: string, fallback: number): number {
  const value = given(params, key);
  return typeof value === 'number' ? value : value === true ? 1 : value === false ? 0 : fallback;
}

function refuse(what: string): VllmProblem {
  return badRequest(`${what} is not supported by podbench's llama backend (llama.cpp through node-llama-cpp)`);
}

function logitBiasOf(value: unknown, vocabularySize: number): Array<[Token, number]> | VllmProblem {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return badRequest('logit_bias must be an object of token id to bias');
  const biases: Array<[Token, number]> = [];
  for (const [key, bias] of Object.entries(value as Record<string, unknown>)) {
    const token = Number(key);
    if (!Number.isInteger(token) || token < 0 || token >= vocabularySize)
      return badRequest(`logit_bias: token id ${key} is out of vocabulary`);
    if (typeof bias !== 'number' || !Number.isFinite(bias))
      return badRequest(`logit_bias: the bias of token ${key} must be a number`);
    // OpenAI's range; vLLM clamps to it.
    biases.push([token, Math.max(-100, Math.min(100, bias))]);
  }
  return biases;
}

/** Why the llama backend cannot run this plan, or undefined. */
export function unsupportedByLlama(plan: GenerationPlan, limits: LlamaLimits): VllmProblem | undefined {
  const params = plan.request?.params ?? {};
  if (given(params, 'use_beam_search') === true) return refuse('Beam search (use_beam_search)');
  const lengthPenalty = given(params, 'length_penalty');
  if (lengthPenalty !== undefined && num(params, 'length_penalty', 1) !== 1) {
    return badRequest(
      "length_penalty only applies to beam search, which podbench's llama backend does not have; leave it at 1.0",
    );
  }
  const earlyStopping = given(params, 'early_stopping');
  if (earlyStopping !== undefined && earlyStopping !== false) {
    return badRequest(
      "early_stopping only applies to beam search, which podbench's llama backend does not have; leave it at false",
    );
  }
  const logprobs = given(params, 'logprobs');
  if (typeof logprobs === 'number' || logprobs === true) return refuse('logprobs');
  if (given(params, 'prompt_logprobs') !== undefined) return refuse('prompt_logprobs');
  for (const key of [
    'allowed_token_ids',
    'bad_words',
    'guided_decoding',
    'structured_outputs',
    'logits_processors',
  ] as const) {
    if (given(params, key) !== undefined) return refuse(key);
  }
  const format = given(params, 'response_format');
  if (format !== undefined && (format as { type?: unknown }).type !== 'text')
    return refuse('response_format (structured output)');
  if (given(params, 'detokenize') === false) return refuse('detokenize: false');
  const bias = logitBiasOf(given(params, 'logit_bias'), limits.vocabularySize);
  if (!Array.isArray(bias)) return bias;
  if (plan.bestOf > limits.sequences) {
    return badRequest(
      `best_of (or n) = ${plan.bestOf} needs more sequences at once than a worker's context holds (${limits.sequences}; raise llama.sequences)`,
    );
  }
  return undefined;
}

/** The engine's sampling options for a plan unsupportedByLlama accepted. */
export function llamaSamplingOf(plan: GenerationPlan): LlamaSampling {
  const params = plan.request?.params ?? {};
  const topK = num(params, 'top_k', -1);
  const bias = logitBiasOf(given(params, 'logit_bias'), Number.MAX_SAFE_INTEGER);
  return {
    temperature: num(params, 'temperature', 1),
    topK: Math.max(topK, 0),
    topP: num(params, 'top_p', 1),
    minP: num(params, 'min_p', 0),
    repetitionPenalty: num(params, 'repetition_penalty', 1),
    presencePenalty: num(params, 'presence_penalty', 0),
    frequencyPenalty: num(params, 'frequency_penalty', 0),
    logitBias: Array.isArray(bias) ? bias : [],
    skipSpecialTokens: given(params, 'skip_special_tokens') !== false,
  };
}
