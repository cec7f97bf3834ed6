// A job's prompt as the model's token ids, the way vLLM builds them:
//
//   text       the tokenizer's BOS (when the model asks for one) + the text, special-token
//              strings in it read as special tokens (as Hugging Face tokenizers do)
//   chat       the chat template with the assistant's generation prompt: node-llama-cpp's
//              chat wrapper for the GGUF's tokenizer.chat_template (its Jinja template, or
//              the specialised wrapper node-llama-cpp recognises in it); a model without a
//              template (stories260K has none) gets node-llama-cpp's GeneralChatWrapper:
//              "<system text>\n\n### Human\n<user text>\n\n### Assistant\n<reply>..."
//   token ids  as given; every id must be in the vocabulary
//
// The ids are made once, when the job is planned (they give usage.input), and kept for the
// worker that prefills them.
import type { PromptInput, PromptTokenizer } from '../formats/prompt.js';
import type { ChatMessageLike } from '../formats/tokens.js';
import { badRequest, type ProblemOr } from '../formats/worker-errors.js';
import type { ChatHistoryItem, ChatWrapper, LlamaModel, NodeLlamaCpp, Token } from './api.js';

export interface PromptRenderer extends PromptTokenizer {
  /** The chat wrapper's name (Jinja, Llama3_1, General...), for the startup line. */
  readonly chatTemplate: string;
  /** The prompt's token ids (after count() accepted it), before truncate_prompt_tokens. */
  ids(prompt: PromptInput): Token[];
}

/** The GGUF's Jinja chat template, if it has one. */
function chatTemplateOf(model: LlamaModel): string | undefined {
  const tokenizer = model.fileInfo.metadata.tokenizer as { chat_template?: unknown } | undefined;
  const template = tokenizer?.chat_template;
  return typeof template === 'string' && template.trim() !== '' ? template : undefined;
}

export function chatWrapperFor(module: NodeLlamaCpp, model: LlamaModel): ChatWrapper {
  if (chatTemplateOf(model) === undefined) return new module.GeneralChatWrapper();
  return module.resolveChatWrapper(model, { warningLogs: false }) ?? new module.GeneralChatWrapper();
}

/** Text of an OpenAI message content: a string, or the text parts of a list joined by newlines (as vLLM does). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string')
      texts.push((part as { text: string }).text);
  }
  return texts.join('\n');
}

/** OpenAI messages as node-llama-cpp's chat history, ending with the reply to generate. */
export function chatHistoryOf(messages: readonly ChatMessageLike[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const message of messages) {
    const text = contentText(message.content);
    if (message.role === 'system' || message.role === 'developer') history.push({ type: 'system', text });
    else if (message.role === 'assistant') history.push({ type: 'model', response: [text] });
    else history.push({ type: 'user', text }); // user, and tool results read as user turns
  }
  history.push({ type: 'model', response: [] });
  return history;
}

export function createPromptRenderer(module: NodeLlamaCpp, model: LlamaModel, vocabularySize: number): PromptRenderer {
  const wrapper = chatWrapperFor(module, model);
  // The ids of each planned prompt, until the prompt object is dropped with its job.
  const made = new WeakMap<PromptInput, Token[]>();

  const render = (prompt: PromptInput): ProblemOr<Token[]> => {
    switch (prompt.kind) {
      case 'text': {
        const bos = model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
        const ids = model.tokenize(prompt.text, true);
        return { ok: true, value: bos === null ? ids : [bos, ...ids] };
      }
      case 'chat':
        try {
          return {
            ok: true,
            value: wrapper
              .generateContextState({ chatHistory: chatHistoryOf(prompt.messages) })
              .contextText.tokenize(model.tokenizer),
          };
        } catch (err) {
          return {
            ok: false,
            problem: badRequest(`the chat template failed: ${err instanceof Error ? err.message : String(err)}`),
          };
        }
      case 'token-ids': {
        const bad = prompt.ids.find((id) => id < 0 || id >= vocabularySize);
        if (bad !== undefined) return { ok: false, problem: badRequest(`Token id ${bad} is out of vocabulary`) };
        return { ok: true, value: prompt.ids };
      }
      default: {
        const never: never = prompt;
        throw new Error(`unknown prompt ${JSON.stringify(never)}`);
      }
    }
  };

  return {
    chatTemplate: wrapper.wrapperName,
    count(prompt) {
      const ids = render(prompt);
      if (!ids.ok) return ids;
      if (ids.value.length === 0) return { ok: false, problem: badRequest('The decoder prompt cannot be empty') };
      made.set(prompt, ids.value);
      return { ok: true, value: ids.value.length };
    },
    ids(prompt) {
      const ids = made.get(prompt);
      if (ids !== undefined) return ids;
      const rendered = render(prompt);
      if (!rendered.ok) throw new Error(rendered.problem.message); // count() accepted it before
      return rendered.value;
    },
  };
}
