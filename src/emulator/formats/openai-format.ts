// vLLM's OpenAI response shapes, rendered from a job's sequences: chat.completion /
// text_completion JSON for non-stream requests, and the SSE events of a stream
// (`data: {chunk}\n\n` ... `data: [DONE]\n\n`). Field order and the null fields follow
// vLLM's pydantic models (ChatCompletionResponse, ChatCompletionStreamResponse,
// CompletionResponse, CompletionStreamResponse).
import type { OpenAIApi } from './generation-plan.js';

export interface ResponseIdentity {
  api: OpenAIApi;
  /** chatcmpl-... or cmpl-... */
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

/** vLLM's finish_reason. */
export type FinishReason = 'stop' | 'length';

/** What a response shows of one returned sequence (a worker's Sequence is one). */
export interface ChoiceOutput {
  readonly text: string;
  /** Undefined: cut off without a reason of its own (shown as "length"). */
  readonly finishReason: FinishReason | undefined;
  /** vLLM's stop_reason: the stop string or stop token id that ended it, else null. */
  readonly stopReason: string | number | null;
}

export interface Usage {
  prompt_tokens: number;
  total_tokens: number;
  completion_tokens: number;
}

export function usageOf(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completionTokens,
    completion_tokens: completionTokens,
  };
}

/** The non-stream response object (one item of the job's output list). */
export function completionResponse(
  who: ResponseIdentity,
  sequences: readonly ChoiceOutput[],
  n: number,
  usage: Usage,
): Record<string, unknown> {
  const choices = [];
  for (let i = 0; i < n; i++) {
    const seq = sequences[i] as ChoiceOutput;
    choices.push(
      who.api === 'chat'
        ? {
            index: i,
            message: { role: 'assistant', content: seq.text, tool_calls: [] },
            logprobs: null,
            finish_reason: seq.finishReason ?? 'length',
            stop_reason: seq.stopReason,
          }
        : {
            index: i,
            text: seq.text,
            logprobs: null,
            finish_reason: seq.finishReason ?? 'length',
            stop_reason: seq.stopReason,
          },
    );
  }
  return {
    id: who.id,
    object: who.api === 'chat' ? 'chat.completion' : 'text_completion',
    created: who.created,
    model: who.model,
    choices,
    usage,
    ...(who.api === 'chat' ? { prompt_logprobs: null } : {}),
  };
}

/**
 * Renders stream chunks. The JSON up to the choice is the same for every chunk of a job,
 * so it is built once: a 5,000-stream load renders a chunk per token per stream.
 */
export class ChunkRenderer {
  private readonly head: string;
  private readonly tail: string;
  private readonly chat: boolean;

  constructor(who: ResponseIdentity) {
    this.chat = who.api === 'chat';
    const object = this.chat ? 'chat.completion.chunk' : 'text_completion';
    this.head = `data: {"id":${JSON.stringify(who.id)},"object":"${object}","created":${who.created},"model":${JSON.stringify(who.model)},"choices":[`;
    this.tail = '\n\n';
  }

  /** The first chat event of each choice: the role, with empty content. */
  role(index: number): string {
    return `${this.head}{"index":${index},"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}${this.tail}`;
  }

  /** A content event; `finish` set on the last one of the choice. */
  content(index: number, text: string, finish: ChoiceOutput | undefined, usage: Usage | undefined): string {
    const body = this.chat ? `"delta":{"content":${JSON.stringify(text)}}` : `"text":${JSON.stringify(text)}`;
    const end =
      finish === undefined
        ? this.chat
          ? '"finish_reason":null'
          : '"finish_reason":null,"stop_reason":null'
        : `"finish_reason":"${finish.finishReason ?? 'length'}","stop_reason":${JSON.stringify(finish.stopReason)}`;
    const usagePart = usage === undefined ? '' : `,"usage":${JSON.stringify(usage)}`;
    return `${this.head}{"index":${index},${body},"logprobs":null,${end}}]${usagePart}}${this.tail}`;
  }

  /** The usage-only event of stream_options.include_usage. */
  usage(usage: Usage): string {
    return `${this.head}],"usage":${JSON.stringify(usage)}}${this.tail}`;
  }
}

export const SSE_DONE = 'data: [DONE]\n\n';

export function modelList(model: string, maxModelLen: number, createdS: number): Record<string, unknown> {
  return {
    object: 'list',
    data: [
      {
        id: model,
        object: 'model',
        created: createdS,
        owned_by: 'vllm',
        root: model,
        parent: null,
        max_model_len: maxModelLen,
        permission: [],
      },
    ],
  };
}
