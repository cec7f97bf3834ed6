// podbench's token estimate, used where the server reports no usage: about four bytes of
// UTF-8 per token (the usual rule of thumb for BPE tokenizers on English text), never
// less than one token for non-empty text. The emulator counts prompt tokens the same way,
// so synthetic prompts come out at the size a scenario asks for.
const encoder = new TextEncoder();

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.max(1, Math.ceil(encoder.encode(text).length / 4));
}
