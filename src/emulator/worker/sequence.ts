// One generated sequence of the synthetic model, advanced one token per decode step.
//
// Each token is a piece of the seeded vocabulary. Once min_tokens are out, an end of
// sequence is drawn with eosProbability per token (never with ignore_eos), a token from
// stop_token_ids ends the sequence, and a stop string ends it with the text cut before the
// stop string (after it with include_stop_str_in_output). End-of-sequence and stop tokens
// count as generated tokens with empty text, like special tokens in vLLM.
//
// Streaming text is released the way vLLM's detokenizer does when stop strings are set:
// the last (longest stop string - 1) characters are held back until the sequence ends, so
// a client never sees the beginning of a stop string that is later cut away. Without stop
// strings a streamed sequence keeps no text at all: each step's delta is its piece.
import type { Rng } from '../../util/rng.js';
import type { GenerationPlan } from '../formats/generation-plan.js';
import type { FinishReason } from '../formats/openai-format.js';
import type { Sequence, StopRules } from '../types.js';
import { FIRST_PIECE_ID, VOCABULARY, VOCABULARY_SIZE } from './vocabulary.js';

export function createSequence(rng: Rng, returned: boolean): Sequence {
  return {
    rng,
    returned,
    tokens: 0,
    text: '',
    released: 0,
    finished: false,
    finishReason: undefined,
    stopReason: null,
    stepped: false,
    delta: '',
  };
}

export function stopRulesFor(plan: GenerationPlan): StopRules {
  let longest = 0;
  for (const s of plan.stop) longest = Math.max(longest, s.length);
  const streamed = plan.output.stream;
  return {
    holdBack: plan.includeStopStrInOutput || longest === 0 ? 0 : longest - 1,
    keepText: !streamed || plan.stop.length > 0,
    streamed,
  };
}

/** Generates the next token of `seq` (which must not be finished) and sets seq.delta. */
export function advanceSequence(seq: Sequence, plan: GenerationPlan, rules: StopRules, eosProbability: number): void {
  const rng = seq.rng;
  const mayStop = seq.tokens >= plan.minTokens;
  seq.tokens++;
  let piece = '';
  if (mayStop && !plan.ignoreEos && eosProbability > 0 && rng.next() < eosProbability) {
    finish(seq, 'stop', null);
  } else {
    const index = (rng.next() * VOCABULARY_SIZE) | 0;
    const tokenId = FIRST_PIECE_ID + index;
    if (mayStop && plan.stopTokenIds.length > 0 && plan.stopTokenIds.includes(tokenId)) {
      finish(seq, 'stop', tokenId);
    } else {
      piece = VOCABULARY[index] as string;
      keepPiece(seq, plan, rules, piece, mayStop);
    }
  }
  endToken(seq, plan, rules, piece);
}

/** A token's text joins the kept text (when something needs it), and a stop string completed by it ends the sequence. */
function keepPiece(seq: Sequence, plan: GenerationPlan, rules: StopRules, piece: string, mayStop: boolean): void {
  if (!rules.keepText || (!seq.returned && plan.stop.length === 0)) return;
  const before = seq.text.length;
  seq.text += piece;
  if (mayStop && plan.stop.length > 0) checkStopStrings(seq, plan, before);
}

/** After a token: max_tokens, then what the client gets of it now (seq.delta). */
function endToken(seq: Sequence, plan: GenerationPlan, rules: StopRules, piece: string): void {
  if (!seq.finished && seq.tokens >= plan.maxTokens) finish(seq, 'length', null);
  if (!seq.returned || !rules.streamed) {
    seq.delta = '';
  } else if (rules.keepText) {
    release(seq, rules);
  } else {
    seq.delta = piece;
  }
}

function finish(seq: Sequence, reason: FinishReason, stopReason: string | number | null): void {
  seq.finished = true;
  seq.finishReason = reason;
  seq.stopReason = stopReason;
}

function checkStopStrings(seq: Sequence, plan: GenerationPlan, lengthBefore: number): void {
  let cut = -1;
  let found: string | undefined;
  for (const stop of plan.stop) {
    // Only a match that ends in the new piece is new; earlier text was checked before.
    const from = Math.max(0, lengthBefore - stop.length + 1);
    const at = seq.text.indexOf(stop, from);
    if (at !== -1 && (cut === -1 || at < cut)) {
      cut = at;
      found = stop;
    }
  }
  if (found === undefined) return;
  seq.text = seq.text.slice(0, plan.includeStopStrInOutput ? cut + found.length : cut);
  finish(seq, 'stop', found);
}

function release(seq: Sequence, rules: StopRules): void {
  let end = seq.finished ? seq.text.length : seq.text.length - rules.holdBack;
  // Never split a surrogate pair (an emoji) between two releases.
  if (end > seq.released && end < seq.text.length) {
    const code = seq.text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
  }
  if (end <= seq.released) {
    seq.delta = '';
    return;
  }
  seq.delta = seq.text.slice(seq.released, end);
  seq.released = end;
}

/**
 * Appends one real token, already detokenized to `piece`, to `seq` (the llama backend), and
 * sets seq.delta: the same stop-string, max_tokens and release rules as a synthetic token.
 * `ends` is set when the token itself ends the sequence: null for an end of sequence, the
 * token id for one of stop_token_ids (its own text is left out, like a special token's).
 */
export function addRealToken(
  seq: Sequence,
  plan: GenerationPlan,
  rules: StopRules,
  piece: string,
  ends: null | number | undefined,
): void {
  const mayStop = seq.tokens >= plan.minTokens;
  seq.tokens++;
  seq.stepped = true;
  // `piece` is text of earlier tokens the detokenizer held back (an unfinished UTF-8
  // character) when the token ends the sequence; the ending token adds none of its own.
  if (piece !== '') keepPiece(seq, plan, rules, piece, mayStop);
  if (ends !== undefined && !seq.finished) finish(seq, 'stop', ends);
  endToken(seq, plan, rules, piece);
}
