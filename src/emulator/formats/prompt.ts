// What a job asks the model to continue, as the job-input parsers read it, and how many
// prompt tokens that costs. The synthetic backend counts with the documented estimate of
// tokens.ts; the llama backend renders the model's chat template and runs its tokenizer
// (llama/prompt-tokens.ts). Either way the count is taken once, when the job is planned,
// so usage.input, the context-window checks and the prefill all agree.
import { estimateChatTokens, estimateTokens, type ChatMessageLike } from './tokens.js';
import type { ProblemOr } from './worker-errors.js';

export type PromptInput =
  /** A completion prompt, tokenized as is (with the tokenizer's BOS). */
  | { kind: 'text'; text: string }
  /** Chat messages: the chat template is applied, with the assistant's generation prompt. */
  | { kind: 'chat'; messages: ChatMessageLike[] }
  /** A completions prompt given as token ids. */
  | { kind: 'token-ids'; ids: number[] };

/** What a real model needs from the job besides the shape of the work (see GenerationPlan). */
export interface ModelRequest {
  prompt: PromptInput;
  /**
   * The sampling parameters as the client sent them, already validated by sampling.ts (an
   * OpenAI body as a whole: its other keys are not sampling parameters and are not read).
   * The shape ones (n, max_tokens, stop...) are in the plan; the llama backend reads the rest.
   */
  params: Record<string, unknown>;
}

export interface PromptTokenizer {
  /**
   * Prompt tokens after the chat template (before truncate_prompt_tokens), or the 400 a
   * real server gives a prompt it cannot render (a Jinja template that rejects the roles).
   */
  count(prompt: PromptInput): ProblemOr<number>;
}

/** The synthetic backend's count: exactly the estimates the emulator has always used. */
export const ESTIMATING_TOKENIZER: PromptTokenizer = {
  count(prompt) {
    switch (prompt.kind) {
      case 'text':
        return { ok: true, value: estimateTokens(prompt.text) };
      case 'chat':
        return { ok: true, value: estimateChatTokens(prompt.messages) };
      case 'token-ids':
        return { ok: true, value: prompt.ids.length };
      default: {
        const never: never = prompt;
        throw new Error(`unknown prompt ${JSON.stringify(never)}`);
      }
    }
  },
};
