// How many prompt tokens a request costs. The emulator has no tokenizer, so it uses one
// documented, deterministic approximation that the runner can reuse to predict usage:
//
//   estimateTokens(text)      = max(1, ceil(UTF-8 bytes / 4))
//   estimateChatTokens(msgs)  = BOS + sum over messages of (header + content) + generation prompt
//
// Four bytes per token is the usual rule of thumb for English BPE vocabularies (Llama 3,
// GPT-4 class). The chat-template overheads mimic Llama 3's template: one
// <|begin_of_text|>, per message <|start_header_id|>role<|end_header_id|>\n\n ... <|eot_id|>
// (4 tokens plus the role), and the assistant header that opens the reply.

/** <|begin_of_text|> */
export const CHAT_TEMPLATE_BOS_TOKENS = 1;
/** <|start_header_id|> role <|end_header_id|> \n\n ... <|eot_id|> around each message. */
export const CHAT_TEMPLATE_TOKENS_PER_MESSAGE = 5;
/** The assistant header appended by add_generation_prompt. */
export const CHAT_TEMPLATE_GENERATION_PROMPT_TOKENS = 4;

const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  // Fast path for ASCII, which is nearly every prompt.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? text.length : encoder.encode(text).length;
}

/** Prompt tokens of a plain text prompt: max(1, ceil(UTF-8 bytes / 4)). */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(utf8Bytes(text) / 4));
}

/** Tokens of message content without the floor of 1 (an empty message costs only its template). */
function contentTokens(content: unknown): number {
  if (typeof content === 'string') return Math.ceil(utf8Bytes(content) / 4);
  if (Array.isArray(content)) {
    // OpenAI content parts: text parts count as text; other parts (images, audio) have no
    // meaning in a text-only emulator and count as one placeholder token each.
    let total = 0;
    for (const part of content) {
      if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
        total += Math.ceil(utf8Bytes((part as { text: string }).text) / 4);
      } else {
        total += 1;
      }
    }
    return total;
  }
  return 0;
}

export interface ChatMessageLike {
  role?: unknown;
  content?: unknown;
}

/** Prompt tokens of a chat request after the chat template is applied. */
export function estimateChatTokens(messages: ReadonlyArray<ChatMessageLike>): number {
  let total = CHAT_TEMPLATE_BOS_TOKENS + CHAT_TEMPLATE_GENERATION_PROMPT_TOKENS;
  for (const message of messages) {
    const role = typeof message.role === 'string' ? message.role : '';
    total += CHAT_TEMPLATE_TOKENS_PER_MESSAGE + estimateTokens(role) + contentTokens(message.content);
  }
  return total;
}
