// Sampling parameters, validated the way vLLM validates them, and reduced to the few that
// change the shape of the work (how many sequences, how long, where they stop).
//
// Two dialects:
//   engine  the legacy worker's native path: SamplingParams(**sampling_params). Unknown keys
//           fail with msgspec's TypeError; values are not type-checked at construction, so a
//           wrong type surfaces as Python's comparison TypeError inside _verify_args.
//   openai  vLLM's OpenAI server (proxy worker, /openai routes): pydantic models that ignore
//           unknown keys and reject wrong types with a validation error.
// Range errors carry vLLM's own wording (SamplingParams._verify_args) in both dialects.
import { pythonType } from './python-repr.js';

export type SamplingDialect = 'engine' | 'openai';

export interface SamplingSpec {
  n: number;
  bestOf: number;
  /** Absent (undefined) or null: the caller's default applies. */
  maxTokens: number | null | undefined;
  minTokens: number;
  ignoreEos: boolean;
  stop: string[];
  stopTokenIds: number[];
  includeStopStrInOutput: boolean;
  seed: number | undefined;
  truncatePromptTokens: number | undefined;
}

type Kind = 'int' | 'float' | 'bool' | 'stop' | 'int-list' | 'any';

interface Rule {
  kind: Kind;
  nullable: boolean;
}

const r = (kind: Kind, nullable = false): Rule => ({ kind, nullable });

/** The fields of vLLM's SamplingParams (plus the beam-search ones older versions took). */
const RULES: Record<string, Rule> = {
  n: r('int'),
  best_of: r('int', true),
  presence_penalty: r('float'),
  frequency_penalty: r('float'),
  repetition_penalty: r('float'),
  temperature: r('float'),
  top_p: r('float'),
  top_k: r('int'),
  min_p: r('float'),
  seed: r('int', true),
  stop: r('stop', true),
  stop_token_ids: r('int-list', true),
  ignore_eos: r('bool'),
  max_tokens: r('int', true),
  min_tokens: r('int'),
  logprobs: r('int', true),
  prompt_logprobs: r('int', true),
  detokenize: r('bool'),
  skip_special_tokens: r('bool'),
  spaces_between_special_tokens: r('bool'),
  include_stop_str_in_output: r('bool'),
  truncate_prompt_tokens: r('int', true),
  use_beam_search: r('bool'),
  length_penalty: r('float'),
  early_stopping: r('any'),
  logits_processors: r('any', true),
  output_kind: r('any'),
  guided_decoding: r('any', true),
  structured_outputs: r('any', true),
  logit_bias: r('any', true),
  allowed_token_ids: r('any', true),
  bad_words: r('any', true),
  extra_args: r('any', true),
};

/** The field names the emulator checks; src/core/vllm-sampling.ts lists the same for podbench's typo warning. */
export const SAMPLING_FIELDS: readonly string[] = Object.keys(RULES);

/**
 * Most sequences one request may ask for (n, best_of): vLLM's default max_num_seqs, the
 * sequences one scheduler step holds. A request past it could never be scheduled whole;
 * the emulator answers 400 instead of allocating a million sequences.
 */
export const MAX_SEQUENCES = 256;

/** Keys of an OpenAI request that map onto sampling parameters under another name. */
const OPENAI_ALIASES: Record<string, string> = { max_completion_tokens: 'max_tokens' };

export type SamplingResult = { ok: true; spec: SamplingSpec } | { ok: false; message: string };

export function validateSampling(
  params: Record<string, unknown>,
  dialect: SamplingDialect,
  requestClass = 'ChatCompletionRequest',
): SamplingResult {
  const values: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(params)) {
    const key = dialect === 'openai' ? (OPENAI_ALIASES[rawKey] ?? rawKey) : rawKey;
    const rule = RULES[key];
    if (rule === undefined) {
      if (dialect === 'engine') return { ok: false, message: `Unexpected keyword argument '${rawKey}'` };
      continue; // vLLM's OpenAI models ignore extra fields (with a warning in the server log)
    }
    if (value === null && rule.nullable) continue;
    if (value === null && dialect === 'openai') continue; // OpenAI clients send null for "default"
    const typeProblem = checkType(rule.kind, value);
    if (typeProblem !== undefined) {
      return {
        ok: false,
        message:
          dialect === 'engine' ? engineTypeError(value) : pydanticError(requestClass, rawKey, typeProblem, value),
      };
    }
    // OpenAI's max_tokens and max_completion_tokens: the latter wins when both are given.
    if (key === 'max_tokens' && rawKey === 'max_tokens' && params.max_completion_tokens != null && dialect === 'openai')
      continue;
    values[key] = value;
  }
  return checkRanges(values);
}

function checkType(kind: Kind, value: unknown): string | undefined {
  switch (kind) {
    case 'int':
      if (typeof value === 'boolean') return undefined;
      if (typeof value !== 'number') return typeof value === 'string' ? 'int_parsing' : 'int_type';
      return Number.isInteger(value) ? undefined : 'int_from_float';
    case 'float':
      if (typeof value === 'boolean' || typeof value === 'number') return undefined;
      return typeof value === 'string' ? 'float_parsing' : 'float_type';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'bool_type';
    case 'stop':
      if (typeof value === 'string') return undefined;
      return Array.isArray(value) && value.every((s) => typeof s === 'string') ? undefined : 'list_type';
    case 'int-list':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v))
        ? undefined
        : 'list_type';
    case 'any':
      return undefined;
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

const PYDANTIC_MESSAGES: Record<string, string> = {
  int_parsing: 'Input should be a valid integer, unable to parse string as an integer',
  int_type: 'Input should be a valid integer',
  int_from_float: 'Input should be a valid integer, got a number with a fractional part',
  float_parsing: 'Input should be a valid number, unable to parse string as a number',
  float_type: 'Input should be a valid number',
  bool_type: 'Input should be a valid boolean',
  list_type: 'Input should be a valid list',
};

function pydanticError(requestClass: string, field: string, type: string, value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return `1 validation error for ${requestClass}\n${field}\n  ${PYDANTIC_MESSAGES[type] ?? type} [type=${type}, input_value=${shown}, input_type=${pythonType(value)}]`;
}

function engineTypeError(value: unknown): string {
  return `'<' not supported between instances of '${pythonType(value)}' and 'float'`;
}

const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' ? v : v === true ? 1 : v === false ? 0 : fallback;

function checkRanges(v: Record<string, unknown>): SamplingResult {
  const fail = (message: string): SamplingResult => ({ ok: false, message });
  const n = num(v.n, 1);
  const bestOf = v.best_of === undefined ? n : num(v.best_of, n);
  if (n < 1) return fail(`n must be at least 1, got ${n}.`);
  if (bestOf < n) return fail(`best_of must be greater than or equal to n, got n=${n} and best_of=${bestOf}.`);
  if (n > MAX_SEQUENCES || bestOf > MAX_SEQUENCES)
    return fail(`n and best_of must be at most ${MAX_SEQUENCES} (max_num_seqs), got n=${n} and best_of=${bestOf}.`);
  for (const key of ['presence_penalty', 'frequency_penalty'] as const) {
    const value = num(v[key], 0);
    if (value < -2 || value > 2) return fail(`${key} must be in [-2, 2], got ${value}.`);
  }
  const repetition = num(v.repetition_penalty, 1);
  if (repetition <= 0) return fail(`repetition_penalty must be greater than zero, got ${repetition}.`);
  const temperature = num(v.temperature, 1);
  if (temperature < 0) return fail(`temperature must be non-negative, got ${temperature}.`);
  const topP = num(v.top_p, 1);
  if (!(topP > 0 && topP <= 1)) return fail(`top_p must be in (0, 1], got ${topP}.`);
  const topK = num(v.top_k, -1);
  if (!(topK === -1 || topK >= 1)) return fail(`top_k must be -1 (disable), or at least 1, got ${topK}.`);
  const minP = num(v.min_p, 0);
  if (minP < 0 || minP > 1) return fail(`min_p must be in [0, 1], got ${minP}.`);
  const maxTokens = v.max_tokens === undefined ? undefined : v.max_tokens === null ? null : num(v.max_tokens, 16);
  if (typeof maxTokens === 'number' && maxTokens < 1) return fail(`max_tokens must be at least 1, got ${maxTokens}.`);
  const minTokens = num(v.min_tokens, 0);
  if (minTokens < 0) return fail(`min_tokens must be greater than or equal to 0, got ${minTokens}.`);
  if (typeof maxTokens === 'number' && minTokens > maxTokens) {
    return fail(`min_tokens must be less than or equal to max_tokens=${maxTokens}, got ${minTokens}.`);
  }
  for (const key of ['logprobs', 'prompt_logprobs'] as const) {
    if (v[key] !== undefined && v[key] !== null && num(v[key], 0) < 0)
      return fail(`${key} must be non-negative, got ${num(v[key], 0)}.`);
  }
  const truncate =
    v.truncate_prompt_tokens === undefined || v.truncate_prompt_tokens === null
      ? undefined
      : num(v.truncate_prompt_tokens, 1);
  if (truncate !== undefined && truncate < 1 && truncate !== -1)
    return fail(`truncate_prompt_tokens must be >= 1, got ${truncate}`);
  const stop =
    v.stop === undefined || v.stop === null ? [] : typeof v.stop === 'string' ? [v.stop] : (v.stop as string[]);
  if (stop.some((s) => s === '')) return fail('stop cannot contain an empty string.');
  const stopTokenIds = (v.stop_token_ids as number[] | undefined | null) ?? [];
  return {
    ok: true,
    spec: {
      n,
      bestOf,
      maxTokens,
      minTokens,
      ignoreEos: v.ignore_eos === true,
      stop,
      stopTokenIds,
      includeStopStrInOutput: v.include_stop_str_in_output === true,
      seed: typeof v.seed === 'number' ? v.seed : undefined,
      truncatePromptTokens: truncate === undefined || truncate === -1 ? undefined : truncate,
    },
  };
}
