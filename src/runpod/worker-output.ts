// Reading what worker-vllm returns, in both generations and on the OpenAI routes, into
// token counts. Pure: the mode runners feed it what arrived and when.
//
//   legacy (<= v2.23.0): items {choices:[{tokens:[...]}], usage:{input, output}}, usage
//     cumulative, so the per-chunk count is the usage delta (server-counted);
//   proxy (>= v2.24.0) and the legacy OpenAI path: OpenAI JSON, or SSE text cut anywhere,
//     where each content delta is counted as one token and usage (if the stream carries
//     it) gives the total. Given a tokenizer (input.tokenizer), the content text is kept
//     and counted once at the end when no usage came: tokenSource 'tokenizer'.
import type { TokenSource, WorkerFormat } from '../core/record.js';
import { createSseParser, type SseLimits, type SseParser } from '../util/sse.js';
import { valueText } from './call.js';

export interface TokenTally {
  /** Tokens in what was just fed (usage delta, or content deltas counted). */
  tokens: number;
}

/** Follows one streamed job or response across chunks. */
export interface StreamReader {
  /** Feeds the `output` of one /stream item, or one piece of an SSE body. Returns tokens it held. */
  push(output: unknown): number;
  /** End of stream: parses any unterminated SSE event. Returns tokens it held. */
  end(): number;
  result(): OutputCounts;
  /** Why the reader stopped reading (an event-stream line or event past its cap), once it has. */
  readonly protocolError: string | undefined;
}

export interface OutputCounts {
  format?: WorkerFormat;
  promptTokens?: number;
  outputTokens?: number;
  tokenSource: TokenSource;
  /** An error object the stream carried (vLLM can report errors inside SSE). */
  streamError?: string;
  /** SSE only: the stream's closing `data: [DONE]` arrived. */
  sawDone?: boolean;
  /** OpenAI answers: their `id` (chatcmpl-...), to match a request with server logs. */
  responseId?: string;
  /** OpenAI answers and chunks: at least one held a `choices` list (a completion without one is not a completion). */
  sawChoices?: boolean;
  /** The reader stopped: an event-stream line or event passed its cap. */
  protocolError?: string;
}

interface Usage {
  prompt?: number;
  completion?: number;
  /** The answer's id, from its first chunk. */
  id?: string;
  sawChoices?: boolean;
  /** A whole chat answer's message was seen: its text is no delta, so counting deltas says nothing of its tokens. */
  sawMessage?: boolean;
  /** The content text, kept only when a tokenizer will count it. */
  texts?: string[];
}

/** Counts the tokens of a text by the scenario's tokenizer (src/util/tokenizer.ts). */
export type CountTokens = (text: string) => number;

/**
 * No answer holds a billion tokens: a usage count past that is a lie, and taken as the count
 * it would make every token rate Infinity. Such a count is treated as no count.
 */
const MAX_TOKEN_COUNT = 1e9;

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Math.abs(value) <= MAX_TOKEN_COUNT ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One parsed OpenAI chunk: content deltas it holds and usage if present. */
function readOpenAiChunk(chunk: unknown, usage: Usage): { tokens: number; error?: string } {
  if (!isObject(chunk)) return { tokens: 0 };
  if (usage.id === undefined && typeof chunk.id === 'string') usage.id = chunk.id;
  if (chunk.error !== undefined) return { tokens: 0, error: valueText(chunk.error) };
  let tokens = 0;
  const choices = chunk.choices;
  if (Array.isArray(choices)) {
    usage.sawChoices = true;
    for (const choice of choices) {
      if (!isObject(choice)) continue;
      const delta = choice.delta;
      const text = isObject(delta) ? delta.content : choice.text;
      if (typeof text === 'string' && text.length > 0) {
        tokens += 1;
        usage.texts?.push(text);
      }
      // A whole chat answer: its message is no delta (not counted as one), but a tokenizer can count it.
      const message = choice.message;
      if (isObject(message) && typeof message.content === 'string' && message.content.length > 0) {
        usage.sawMessage = true;
        usage.texts?.push(message.content);
      }
    }
  }
  const u = chunk.usage;
  if (isObject(u)) {
    const prompt = num(u.prompt_tokens);
    const completion = num(u.completion_tokens);
    if (prompt !== undefined) usage.prompt = prompt;
    if (completion !== undefined) usage.completion = completion;
  }
  return { tokens };
}

/** The caps of an event stream, from the scenario's limits (bytes; the parser counts characters, at most as many). */
export interface StreamReaderLimits {
  maxSseEventBytes: number;
}

export function createStreamReader(limits?: StreamReaderLimits, countTokens?: CountTokens): StreamReader {
  const sseLimits: SseLimits | undefined = limits
    ? { maxLineChars: limits.maxSseEventBytes, maxEventChars: limits.maxSseEventBytes }
    : undefined;
  let format: WorkerFormat | undefined;
  let sse: SseParser | undefined;
  // Pieces are kept and counted once at the end: a tokenizer's count of a whole text is not the sum of its pieces'.
  const usage: Usage = countTokens ? { texts: [] } : {};
  let legacyOutput: number | undefined;
  let legacyInput: number | undefined;
  let counted = 0; // content deltas / token strings seen
  let streamError: string | undefined;
  let sawDone = false;

  const readEvents = (events: string[]): number => {
    let tokens = 0;
    for (const data of events) {
      if (data === '[DONE]') {
        sawDone = true;
        continue;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        continue; // a corrupt event is not a token; the count stays an estimate
      }
      const read = readOpenAiChunk(chunk, usage);
      if (read.error !== undefined) streamError ??= read.error;
      tokens += read.tokens;
    }
    counted += tokens;
    return tokens;
  };

  return {
    push(output) {
      if (typeof output === 'string') {
        // SSE text: the proxy worker's raw slices, the legacy OpenAI path, or an HTTP body.
        format ??= 'proxy';
        sse ??= createSseParser(sseLimits);
        return readEvents(sse.push(output));
      }
      if (Array.isArray(output)) {
        // Legacy OpenAI path with RAW_OPENAI_OUTPUT=0: a list of parsed chunks.
        format ??= 'legacy';
        let tokens = 0;
        for (const chunk of output) {
          const read = readOpenAiChunk(chunk, usage);
          if (read.error !== undefined) streamError ??= read.error;
          tokens += read.tokens;
        }
        counted += tokens;
        return tokens;
      }
      if (!isObject(output)) return 0;
      if (Array.isArray(output.choices) && output.choices.some((c) => isObject(c) && Array.isArray(c.tokens))) {
        format = 'legacy';
        let strings = 0;
        for (const choice of output.choices as unknown[]) {
          if (!isObject(choice) || !Array.isArray(choice.tokens)) continue;
          strings += choice.tokens.length;
          for (const token of choice.tokens) if (typeof token === 'string') usage.texts?.push(token);
        }
        counted += strings;
        const u = output.usage;
        const cumulative = isObject(u) ? num(u.output) : undefined;
        if (isObject(u)) legacyInput = num(u.input) ?? legacyInput;
        if (cumulative !== undefined) {
          const delta = cumulative - (legacyOutput ?? 0);
          legacyOutput = cumulative;
          return Math.max(0, delta);
        }
        return strings;
      }
      // A whole OpenAI object (non-stream answer) or a single chunk.
      format ??= 'proxy';
      const read = readOpenAiChunk(output, usage);
      if (read.error !== undefined) streamError ??= read.error;
      counted += read.tokens;
      return read.tokens;
    },
    end() {
      return sse ? readEvents(sse.flush()) : 0;
    },
    get protocolError() {
      return sse?.error;
    },
    result() {
      const done = {
        ...(sse ? { sawDone } : {}),
        ...(usage.id !== undefined ? { responseId: usage.id } : {}),
        ...(usage.sawChoices ? { sawChoices: true } : {}),
        ...(sse?.error !== undefined ? { protocolError: sse.error } : {}),
      };
      if (legacyOutput !== undefined) {
        return {
          format: 'legacy',
          promptTokens: legacyInput,
          outputTokens: legacyOutput,
          tokenSource: 'usage',
          streamError,
          ...done,
        };
      }
      if (usage.completion !== undefined) {
        return {
          format,
          promptTokens: usage.prompt,
          outputTokens: usage.completion,
          tokenSource: 'usage',
          streamError,
          ...done,
        };
      }
      if (countTokens && format && usage.texts) {
        const outputTokens = usage.texts.length > 0 ? countTokens(usage.texts.join('')) : 0;
        return { format, outputTokens, tokenSource: 'tokenizer', streamError, ...done };
      }
      // A whole answer's text without usage or a tokenizer: its token count is unknown, not 0.
      if (usage.sawMessage) return { format, tokenSource: 'none', streamError, ...done };
      if (counted > 0) return { format, outputTokens: counted, tokenSource: 'estimated', streamError, ...done };
      return {
        format,
        tokenSource: format ? 'estimated' : 'none',
        outputTokens: format ? 0 : undefined,
        streamError,
        ...done,
      };
    },
  };
}

/**
 * Counts of a finished job's `output` (/runsync, /status): legacy items with cumulative
 * usage, an OpenAI object, or the list of streamed pieces.
 */
export function countFinalOutput(output: unknown, countTokens?: CountTokens): OutputCounts {
  const reader = createStreamReader(undefined, countTokens);
  const items = Array.isArray(output) ? output : [output];
  // A legacy non-stream job is one item whose usage already covers everything; a
  // streamed job's aggregate repeats every batch, and the last usage is the total.
  for (const item of items) reader.push(item);
  reader.end();
  return reader.result();
}

/** The worker format an OpenAI-route JSON answer implies (the route itself is the format). */
export function countOpenAiResponse(body: unknown, countTokens?: CountTokens): OutputCounts {
  const reader = createStreamReader(undefined, countTokens);
  reader.push(body);
  const result = reader.result();
  // One whole answer is one "chunk": counting chunks would say 1 token (0 for a chat message).
  // Without usage or a tokenizer its count is unknown, and the record says so.
  if (result.tokenSource === 'estimated') {
    const { outputTokens: _unknown, ...rest } = result;
    return { ...rest, format: 'openai', tokenSource: 'none' };
  }
  return { ...result, format: 'openai' };
}

/** Copies counts into a record: tokens, where they came from, and an OpenAI answer's id. */
export function applyCounts(
  record: { promptTokens?: number; outputTokens?: number; tokenSource: TokenSource; responseId?: string },
  counts: OutputCounts,
): void {
  if (counts.promptTokens !== undefined) record.promptTokens = counts.promptTokens;
  if (counts.outputTokens !== undefined) record.outputTokens = counts.outputTokens;
  // Prompt tokens counted by the tokenizer when the request was built say so while nothing else counted.
  record.tokenSource =
    counts.tokenSource === 'none' && record.tokenSource === 'tokenizer' ? 'tokenizer' : counts.tokenSource;
  if (counts.responseId !== undefined) record.responseId = counts.responseId;
}
