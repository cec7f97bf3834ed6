import { describe, expect, it } from 'vitest';
import { planJob } from '../worker/plan-job.js';
import { resolveEmulatorSettings } from '../settings/schema.js';
import type { GenerationPlan } from '../formats/generation-plan.js';
import { llamaSamplingOf, unsupportedByLlama } from './sampling-map.js';

const settings = resolveEmulatorSettings({});
const limits = { vocabularySize: 512, sequences: 30 };

function plan(params: Record<string, unknown>): GenerationPlan {
  const p = planJob({ prompt: 'Once upon a time', sampling_params: params }, settings);
  if (p.kind !== 'generate') throw new Error(JSON.stringify(p));
  return p;
}

describe('vLLM sampling parameters on llama.cpp', () => {
  it("maps vLLM's defaults to llama.cpp's neutral values (temperature 1, no top-k/top-p/min-p, no penalties)", () => {
    expect(llamaSamplingOf(plan({}))).toEqual({
      temperature: 1,
      topK: 0,
      topP: 1,
      minP: 0,
      repetitionPenalty: 1,
      presencePenalty: 0,
      frequencyPenalty: 0,
      logitBias: [],
      skipSpecialTokens: true,
    });
  });

  it('passes every value of the document through', () => {
    const p = plan({
      temperature: 0.7,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.05,
      repetition_penalty: 1.1,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      skip_special_tokens: false,
      spaces_between_special_tokens: true,
      logit_bias: { '2': 5, '10': -200 },
      use_beam_search: false,
      length_penalty: 1,
      early_stopping: false,
    });
    expect(unsupportedByLlama(p, limits)).toBeUndefined();
    expect(llamaSamplingOf(p)).toEqual({
      temperature: 0.7,
      topK: 40,
      topP: 0.9,
      minP: 0.05,
      repetitionPenalty: 1.1,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      logitBias: [
        [2, 5],
        [10, -100],
      ],
      skipSpecialTokens: false,
    });
  });

  it.each([
    [{ use_beam_search: true }, /Beam search \(use_beam_search\) is not supported by podbench's llama backend/],
    [{ length_penalty: 1.5 }, /length_penalty only applies to beam search/],
    [{ early_stopping: true }, /early_stopping only applies to beam search/],
    [{ logprobs: 2 }, /logprobs is not supported/],
    [{ prompt_logprobs: 1 }, /prompt_logprobs is not supported/],
    [{ allowed_token_ids: [1, 2] }, /allowed_token_ids is not supported/],
    [{ bad_words: ['x'] }, /bad_words is not supported/],
    [{ guided_decoding: { json: {} } }, /guided_decoding is not supported/],
    [{ detokenize: false }, /detokenize: false is not supported/],
    [{ logit_bias: { '9999': 1 } }, /logit_bias: token id 9999 is out of vocabulary/],
    [{ n: 2, best_of: 40 }, /best_of \(or n\) = 40 needs more sequences at once than a worker's context holds \(30/],
  ])('refuses %j with a 400 that says why', (params, message) => {
    const problem = unsupportedByLlama(plan(params), limits);
    expect(problem?.status).toBe(400);
    expect(problem?.message).toMatch(message);
  });

  it('refuses them as a job failure in the worker error shape (planJob with the llama planning model)', () => {
    const model = {
      tokenizer: { count: () => ({ ok: true as const, value: 3 }) },
      unsupported: (p: GenerationPlan) => unsupportedByLlama(p, limits),
    };
    const rejected = planJob({ prompt: 'x', sampling_params: { use_beam_search: true } }, settings, model);
    expect(rejected.kind).toBe('reject');
    if (rejected.kind === 'reject')
      expect(rejected.error.text).toMatch(
        /^\{'error': \{'message': "Beam search .*'type': 'BadRequestError', 'param': None, 'code': 400\}\}$/,
      );
  });
});
