// The options of one sequence's node-llama-cpp evaluation: sampling-map.ts's values plus
// the parts that need the loaded model (token biases) or the sequence's own tokens
// (penalties, min_tokens).
//
// min_tokens, as vLLM does it: until that many tokens are out, the end-of-generation tokens
// and stop_token_ids cannot be sampled (logit -inf). node-llama-cpp's TokenBias.set ignores
// EOS/EOT on purpose, so those entries are written into its bias table directly (the
// `_biases` map of 3.21.1, which the pinned version has; test/emulator-llama checks that
// min_tokens holds).
import type { GenerationPlan } from '../formats/generation-plan.js';
import type { EvaluateOptions, LlamaModel, NodeLlamaCpp, Token, TokenBias } from './api.js';
import type { LlamaSampling } from './sampling-map.js';

export interface SequenceTokens {
  seed: number;
  prompt: readonly Token[];
  /** The sequence's generated tokens so far (the worker appends to it). */
  generated: Token[];
  /** Tokens generated so far, as the sequence counts them. */
  produced: () => number;
}

interface Vocabulary {
  size: number;
  /** Every end-of-generation token (EOS, EOT...). */
  eog: Token[];
}

const vocabularies = new WeakMap<LlamaModel, Vocabulary>();

/** The model's vocabulary size and end-of-generation tokens, found once per model. */
function vocabularyOf(model: LlamaModel): Vocabulary {
  let vocabulary = vocabularies.get(model);
  if (vocabulary === undefined) {
    vocabulary = { size: 0, eog: [] };
    for (const token of model.iterateAllTokens()) {
      vocabulary.size++;
      if (model.isEogToken(token)) vocabulary.eog.push(token);
    }
    vocabularies.set(model, vocabulary);
  }
  return vocabulary;
}

/** Sets a token's logit bias, EOS/EOT included (see the top of this file). */
function setBias(bias: TokenBias, token: Token, logit: number): void {
  const table = (bias as unknown as { _biases?: Map<Token, number> })._biases;
  if (table !== undefined) table.set(token, logit);
  else bias.set(token, { logit });
}

export function evaluateOptionsFor(
  module: NodeLlamaCpp,
  model: LlamaModel,
  plan: GenerationPlan,
  sampling: LlamaSampling,
  tokens: SequenceTokens,
): EvaluateOptions {
  const options: EvaluateOptions = {
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    minP: sampling.minP,
    seed: tokens.seed,
    yieldEogToken: true,
  };

  const { repetitionPenalty, presencePenalty, frequencyPenalty } = sampling;
  if (repetitionPenalty !== 1 || presencePenalty !== 0 || frequencyPenalty !== 0) {
    const { prompt, generated } = tokens;
    // repetition_penalty looks at the prompt too (vLLM); the list grows with the sequence.
    const withPrompt = repetitionPenalty !== 1 ? prompt.slice() : undefined;
    options.repeatPenalty = {
      punishTokens: () => {
        if (withPrompt === undefined) return generated;
        while (withPrompt.length < prompt.length + generated.length)
          withPrompt.push(generated[withPrompt.length - prompt.length] as Token);
        return withPrompt;
      },
      // Every token counts, as in vLLM (llama.cpp's default looks at the last 64 only).
      maxPunishTokens: prompt.length + plan.maxTokens,
      penalty: repetitionPenalty,
      presencePenalty,
      frequencyPenalty,
    };
  }

  const biased = sampling.logitBias.length > 0;
  const vocabulary = plan.minTokens > 0 ? vocabularyOf(model) : undefined;
  // Ids outside the vocabulary never come out anyway (and must not reach the native table).
  const stoppers =
    vocabulary === undefined
      ? []
      : [...vocabulary.eog, ...plan.stopTokenIds.filter((id) => id >= 0 && id < vocabulary.size)];
  if (biased || stoppers.length > 0) {
    const make = (withStoppers: boolean): TokenBias => {
      const bias = new module.TokenBias(model.tokenizer);
      for (const [token, logit] of sampling.logitBias) setBias(bias, token, logit);
      if (withStoppers) for (const token of stoppers) setBias(bias, token, Number.NEGATIVE_INFINITY);
      return bias;
    };
    const after = make(false);
    if (stoppers.length === 0) {
      options.tokenBias = () => after;
    } else {
      const before = make(true);
      options.tokenBias = () => (tokens.produced() < plan.minTokens ? before : after);
    }
  }
  return options;
}
