import { describe, expect, it } from 'vitest';
import { VLLM_SAMPLING_PARAMS } from '../../core/vllm-sampling.js';
import { SAMPLING_FIELDS, validateSampling } from './sampling.js';

describe('validateSampling', () => {
  it('accepts the documented parameters and reduces them to the work they shape', () => {
    const result = validateSampling(
      {
        n: 2,
        best_of: 3,
        max_tokens: 50,
        min_tokens: 5,
        temperature: 0.7,
        top_p: 0.9,
        top_k: 40,
        min_p: 0.05,
        stop: '.',
        stop_token_ids: [150],
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        repetition_penalty: 1.1,
        ignore_eos: true,
        skip_special_tokens: true,
        spaces_between_special_tokens: true,
        truncate_prompt_tokens: 100,
        use_beam_search: false,
        length_penalty: 1,
        early_stopping: false,
        seed: 7,
      },
      'engine',
    );
    expect(result).toEqual({
      ok: true,
      spec: {
        n: 2,
        bestOf: 3,
        maxTokens: 50,
        minTokens: 5,
        ignoreEos: true,
        stop: ['.'],
        stopTokenIds: [150],
        includeStopStrInOutput: false,
        seed: 7,
        truncatePromptTokens: 100,
      },
    });
  });

  it.each([
    [{ temperature: -1 }, 'temperature must be non-negative, got -1.'],
    [{ top_p: 0 }, 'top_p must be in (0, 1], got 0.'],
    [{ top_p: 1.5 }, 'top_p must be in (0, 1], got 1.5.'],
    [{ top_k: 0 }, 'top_k must be -1 (disable), or at least 1, got 0.'],
    [{ n: 0 }, 'n must be at least 1, got 0.'],
    [{ n: 3, best_of: 2 }, 'best_of must be greater than or equal to n, got n=3 and best_of=2.'],
    [{ max_tokens: 0 }, 'max_tokens must be at least 1, got 0.'],
    [{ max_tokens: 5, min_tokens: 6 }, 'min_tokens must be less than or equal to max_tokens=5, got 6.'],
    [{ presence_penalty: 3 }, 'presence_penalty must be in [-2, 2], got 3.'],
    [{ repetition_penalty: 0 }, 'repetition_penalty must be greater than zero, got 0.'],
    [{ min_p: 2 }, 'min_p must be in [0, 1], got 2.'],
    [{ stop: ['a', ''] }, 'stop cannot contain an empty string.'],
  ])('rejects %j like vLLM', (params, message) => {
    expect(validateSampling(params, 'engine')).toEqual({ ok: false, message });
    expect(validateSampling(params, 'openai')).toEqual({ ok: false, message });
  });

  it('fails unknown keys like SamplingParams(**kw) on the engine path, ignores them on the OpenAI path', () => {
    expect(validateSampling({ temprature: 0.5 }, 'engine')).toEqual({
      ok: false,
      message: "Unexpected keyword argument 'temprature'",
    });
    expect(validateSampling({ temprature: 0.5 }, 'openai')).toMatchObject({ ok: true });
  });

  it('words type errors as Python (engine) or pydantic (OpenAI) would', () => {
    expect(validateSampling({ temperature: 'hot' }, 'engine')).toEqual({
      ok: false,
      message: "'<' not supported between instances of 'str' and 'float'",
    });
    const openai = validateSampling({ temperature: 'hot' }, 'openai', 'CompletionRequest');
    expect(openai.ok).toBe(false);
    expect(!openai.ok && openai.message).toMatch(
      /^1 validation error for CompletionRequest\ntemperature\n {2}Input should be a valid number/,
    );
  });

  it('takes max_completion_tokens for max_tokens on the OpenAI path', () => {
    expect(validateSampling({ max_tokens: 5, max_completion_tokens: 9 }, 'openai')).toMatchObject({
      ok: true,
      spec: { maxTokens: 9 },
    });
  });
});

describe('the two lists of sampling fields', () => {
  it('name the same fields: every field the emulator checks is one podbench knows (no typo warning for it)', () => {
    expect(SAMPLING_FIELDS.filter((name) => !VLLM_SAMPLING_PARAMS.includes(name))).toEqual([]);
  });
});
