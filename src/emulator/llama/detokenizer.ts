// Token ids to text, one token at a time, without ever emitting a broken character.
//
// A small vocabulary spells what it lacks byte by byte (stories260K writes "😀" as four
// byte tokens), and byte-level BPE vocabularies cut characters too. Detokenizing such a
// token alone gives U+FFFD. So, as vLLM's incremental detokenizer does, text that ends in
// U+FFFD is held back until the next tokens complete the character; a token whose text is
// held back yields '' (in the legacy format it is still one update, with an empty string).
//
// Each piece is detokenized with the tokens before it as context (`lastTokens`), so a
// SentencePiece word-start space comes out right; the context only ever holds tokens whose
// text is complete. Pure apart from the `detokenize` function it is given.
import type { Token } from './api.js';

export type Detokenize = (tokens: readonly Token[], lastTokens: readonly Token[]) => string;

/** UTF-8 needs at most 4 bytes; after that many held tokens the text is let out as it is. */
const MAX_HELD_TOKENS = 4;
/** Tokens of context for the next piece (node-llama-cpp looks at no more than 3). */
const CONTEXT_TOKENS = 3;
const REPLACEMENT = '\uFFFD';

export class IncrementalDetokenizer {
  private readonly detokenize: Detokenize;
  private context: Token[];
  private held: Token[] = [];

  /** `before`: the prompt's tokens (only the last few are kept, as context). */
  constructor(detokenize: Detokenize, before: readonly Token[]) {
    this.detokenize = detokenize;
    this.context = before.slice(-CONTEXT_TOKENS);
  }

  /** The text this token completes ('' while a character is unfinished). */
  push(token: Token): string {
    this.held.push(token);
    const text = this.detokenize(this.held, this.context);
    if (text.endsWith(REPLACEMENT) && this.held.length < MAX_HELD_TOKENS) return '';
    return this.commit(text);
  }

  /** Whatever is held back, as it is (the sequence ends). */
  flush(): string {
    if (this.held.length === 0) return '';
    return this.commit(this.detokenize(this.held, this.context));
  }

  private commit(text: string): string {
    this.context = this.context.concat(this.held).slice(-CONTEXT_TOKENS);
    this.held = [];
    return text;
  }
}
