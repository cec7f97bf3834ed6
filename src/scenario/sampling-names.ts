// Sampling-parameter names checked before the first request: a typo (`max_token`) would
// otherwise surface only as failed jobs, after a cold start. A worker may accept names this
// list does not know, so the result is a warning and the parameter is still sent.
import { VLLM_OPENAI_FIELDS, VLLM_SAMPLING_PARAMS } from '../core/vllm-sampling.js';
import { didYouMean } from '../util/did-you-mean.js';
import { isOpenAiMode } from './payload.js';
import type { Scenario } from './schema.js';

/** One warning per sampling parameter vLLM does not know. */
export function unknownSamplingParams(scenario: Scenario): string[] {
  const openai = isOpenAiMode(scenario.mode) || scenario.input.format.startsWith('openai_');
  const known = openai ? [...VLLM_SAMPLING_PARAMS, ...VLLM_OPENAI_FIELDS] : VLLM_SAMPLING_PARAMS;
  return Object.keys(scenario.sampling_params)
    .filter((name) => !known.includes(name))
    .map(
      (name) =>
        `sampling_params.${name} is not one of vLLM's sampling parameters${didYouMean(name, known)}; it is sent as given (a worker may accept more)`,
    );
}
