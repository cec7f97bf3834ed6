// Dataset rows → the prompts a run sends. A row holds a prompt, or messages (OpenAI
// {role, content} or ShareGPT {from, value}), and maybe an expected output length; the field
// names are the dataset's own, mapped by `input.fields`. A conversation is sent as a
// single request (everything up to its last user turn), or with `multiTurn` as one request
// per user turn, each carrying the turns before it. A recorded reply after the turn sent
// gives the expected output length when no field does (as vLLM's ShareGPT benchmark does).
import { UsageError } from '../../core/errors.js';
import { getPath, isPlainObject } from '../../util/field-path.js';
import type { Message } from '../schema.js';
import type { Row } from './rows.js';

export type PromptItem = ({ kind: 'text'; text: string } | { kind: 'messages'; messages: Message[] }) & {
  /** Expected output length in tokens: sent as max_tokens (and min_tokens with ignore_eos when exact). */
  outputTokens?: number;
  /** With a tokenizer (input.tokenizer): the tokens of the text sent (a chat's message contents, without its template). */
  promptTokens?: number;
};

export interface FieldMap {
  /** A plain prompt string. */
  prompt: string;
  /** A list of messages; when absent from a row, `conversations` (ShareGPT's name) is tried. */
  messages: string;
  /** Expected output length in tokens. */
  outputTokens: string;
}

export const DEFAULT_FIELDS: FieldMap = { prompt: 'prompt', messages: 'messages', outputTokens: 'output_tokens' };

export interface ItemOptions {
  fields: FieldMap;
  /** The input format takes messages (else a prompt string). */
  wantsMessages: boolean;
  multiTurn: boolean;
}

/** The token estimate podbench uses without a tokenizer (and the emulator uses): 4 UTF-8 bytes a token. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text, 'utf8') / 4));
}

const ROLES: Record<string, Message['role']> = {
  system: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  gpt: 'assistant',
  chatgpt: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  model: 'assistant',
  tool: 'tool',
  developer: 'developer',
};

export function itemsFromRows(path: string, rows: readonly Row[], options: ItemOptions): PromptItem[] {
  const items: PromptItem[] = [];
  for (const row of rows) {
    const where = `${path}: ${row.where}`;
    const outputTokens = readOutputTokens(row.value, options.fields.outputTokens, where);
    const prompt = getPath(row.value, options.fields.prompt);
    const mapped = getPath(row.value, options.fields.messages);
    const messagesField =
      mapped === undefined && usesFallback(row.value, options) ? 'conversations' : options.fields.messages;
    const rawMessages = getPath(row.value, messagesField);
    if (prompt !== undefined && prompt !== null && prompt !== '') {
      if (typeof prompt !== 'string') throw new UsageError(`${where}: ${options.fields.prompt}: expected a string`);
      const item: PromptItem = options.wantsMessages
        ? { kind: 'messages', messages: [{ role: 'user', content: prompt }] }
        : { kind: 'text', text: prompt };
      items.push(outputTokens !== undefined ? { ...item, outputTokens } : item);
      continue;
    }
    if (rawMessages === undefined || rawMessages === null) {
      throw new UsageError(
        `${where}: has neither "${options.fields.prompt}" nor "${options.fields.messages}"; map the dataset's fields with input.fields`,
      );
    }
    if (!options.wantsMessages) {
      throw new UsageError(
        `${where}: has messages, but input.format takes a prompt; use format messages or openai_chat`,
      );
    }
    const messages = readMessages(rawMessages, `${where}: ${messagesField}`);
    items.push(...conversationItems(messages, options.multiTurn, outputTokens, where));
  }
  if (items.length === 0) throw new UsageError(`${path}: the file has no prompts`);
  return items;
}

/** ShareGPT files name their messages `conversations`: used when the mapped field is the default and absent. */
function usesFallback(row: Record<string, unknown>, options: ItemOptions): boolean {
  return options.fields.messages === DEFAULT_FIELDS.messages && row.conversations !== undefined;
}

function readOutputTokens(row: Record<string, unknown>, field: string, where: string): number | undefined {
  const value = getPath(row, field);
  if (value === undefined || value === null || value === '') return undefined;
  // CSV cells are text.
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`${where}: ${field}: expected a whole number of tokens above 0, got ${JSON.stringify(value)}`);
  return n;
}

function readMessages(raw: unknown, where: string): Message[] {
  let value = raw;
  if (typeof value === 'string') {
    // A CSV cell holds the list as JSON text.
    try {
      value = JSON.parse(value);
    } catch {
      throw new UsageError(`${where}: expected a list of messages (JSON text in a CSV cell)`);
    }
  }
  if (!Array.isArray(value) || value.length === 0)
    throw new UsageError(`${where}: expected a non-empty list of messages`);
  return value.map((entry, i) => {
    if (!isPlainObject(entry)) throw new UsageError(`${where}[${i}]: expected an object with role and content`);
    const roleText = entry.role ?? entry.from;
    const content = entry.content ?? entry.value;
    const role = typeof roleText === 'string' ? ROLES[roleText.toLowerCase()] : undefined;
    if (!role)
      throw new UsageError(
        `${where}[${i}]: role ${JSON.stringify(roleText)} is not one of ${Object.keys(ROLES).join(', ')} (role/content or from/value)`,
      );
    if (typeof content !== 'string') throw new UsageError(`${where}[${i}]: content: expected a string`);
    return { role, content };
  });
}

/**
 * The requests of one conversation: each ends with a user turn and carries every message
 * before it; its expected output length is the mapped field's (single turn) or the
 * estimate of the recorded reply that follows.
 */
function conversationItems(
  messages: Message[],
  multiTurn: boolean,
  outputTokens: number | undefined,
  where: string,
): PromptItem[] {
  const userTurns = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  if (userTurns.length === 0) throw new UsageError(`${where}: the conversation has no user turn`);
  const ends = multiTurn ? userTurns : [userTurns.at(-1) as number];
  return ends.map((end) => {
    const reply = messages[end + 1];
    const expected =
      outputTokens !== undefined && (!multiTurn || end === userTurns.at(-1))
        ? outputTokens
        : reply?.role === 'assistant'
          ? estimateTokens(reply.content)
          : undefined;
    const item: PromptItem = { kind: 'messages', messages: messages.slice(0, end + 1) };
    return expected !== undefined ? { ...item, outputTokens: expected } : item;
  });
}
