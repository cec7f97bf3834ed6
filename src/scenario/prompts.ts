// The prompts a scenario sends: synthetic ones (seeded, each request its own text; lengths
// fixed or drawn from a distribution; optionally a shared prefix or several turns), the rows
// of a dataset file used in order and repeated, or the requests of a trace. Formats and
// fields: docs/workloads.md.
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { hashString } from '../util/rng.js';
import type { InputFormat, Message, Scenario } from './schema.js';
import { DEFAULT_FIELDS, itemsFromRows, type PromptItem } from './workload/items.js';
import { describeLength, drawLength } from './workload/lengths.js';
import { fileTypeOf, readRows } from './workload/rows.js';
import { loadTrace, type TraceEntry } from './workload/trace.js';
import { tokenizerOf, type TokenCounter } from './tokenizer.js';

export type { PromptItem } from './workload/items.js';

export interface PromptSource {
  /** The prompt for request number `seq` (0-based, counting warmup). */
  at(seq: number): PromptItem;
  /** Where prompts come from, for run provenance. */
  describe: string;
}

const WORDS = (
  'the a robot ocean city quiet river story light engine garden winter signal market ' +
  'little old bright distant careful sudden green silver under over through between ' +
  'walks builds remembers finds carries watches explains measures listens wonders ' +
  'morning evening machine lantern bridge mountain harbor library window letter map'
).split(' ');

const TASKS = [
  'Write a short story about',
  'Explain in simple terms',
  'Summarize the following notes about',
  'Describe step by step',
  'Give three facts about',
];

type Synthetic = NonNullable<Scenario['input']['synthetic']>;

const DEFAULT_SYNTHETIC: Synthetic = { promptTokens: 128, turns: 1, system: 'You are a helpful assistant.' };

export async function createPromptSource(scenario: Scenario, scenarioFile: string): Promise<PromptSource> {
  const source = await promptsOf(scenario, scenarioFile);
  const counter = tokenizerOf(scenario, scenarioFile);
  if (!counter) return source;
  return {
    describe: `${source.describe}; tokens counted by ${scenario.input.tokenizer}`,
    at: (seq) => {
      const item = source.at(seq);
      return item.promptTokens !== undefined ? item : { ...item, promptTokens: countItem(item, counter) };
    },
  };
}

/** The tokens of the text an item sends: a prompt, or the contents of its messages (no chat template). */
export function countItem(item: PromptItem, counter: TokenCounter): number {
  if (item.kind === 'text') return counter.count(item.text);
  let tokens = 0;
  for (const message of item.messages) tokens += counter.count(message.content);
  return tokens;
}

async function promptsOf(scenario: Scenario, scenarioFile: string): Promise<PromptSource> {
  const { input } = scenario;
  const wantsMessages = usesMessages(input.format);
  const counter = tokenizerOf(scenario, scenarioFile);
  if (input.file) {
    const path = resolve(dirname(scenarioFile), input.file);
    const rows = await readRows(path, fileTypeOf(path, input.fileType), 'prompt file');
    const items = itemsFromRows(path, rows, {
      fields: { ...DEFAULT_FIELDS, ...input.fields },
      wantsMessages,
      multiTurn: input.multiTurn,
    });
    // A dataset's rows repeat: each is counted once, when first sent.
    const counted = new Map<number, PromptItem>();
    return {
      at: (seq) => {
        const index = seq % items.length;
        const item = items[index] as PromptItem;
        if (!counter) return item;
        let withCount = counted.get(index);
        if (!withCount) {
          withCount = { ...item, promptTokens: countItem(item, counter) };
          counted.set(index, withCount);
        }
        return withCount;
      },
      describe: `file ${input.file} (${items.length} prompts${input.multiTurn ? ', one per user turn' : ''})`,
    };
  }
  if (input.trace) {
    const entries = loadTrace(input.trace, scenarioFile);
    const base = hashString(`trace:${scenario.seed}`);
    const { blockTokens } = input.trace;
    return {
      describe: `trace ${input.trace.file} (${entries.length} requests)`,
      at: (seq) => {
        const entry = entries[seq % entries.length] as TraceEntry;
        const text = traceText(entry, blockTokens, base, seq);
        const item: PromptItem = wantsMessages
          ? { kind: 'messages', messages: [{ role: 'user', content: text }] }
          : { kind: 'text', text };
        return { ...item, outputTokens: entry.outputTokens };
      },
    };
  }
  return syntheticSource(scenario, input.synthetic ?? DEFAULT_SYNTHETIC, wantsMessages, counter);
}

function syntheticSource(
  scenario: Scenario,
  synthetic: Synthetic,
  wantsMessages: boolean,
  counter: TokenCounter | undefined,
): PromptSource {
  if (synthetic.turns > 1 && !wantsMessages)
    throw new UsageError(
      'input.synthetic.turns: conversations need input.format messages or openai_chat (a prompt has no turns)',
    );
  const base = hashString(`prompts:${scenario.seed}`);
  const prefixBase = hashString(`prefix:${scenario.seed}`);
  const spread = synthetic.spread ?? 0.2;
  /** One turn's prompt and output length: depends on the seed and the turn's request number only. */
  const turn = (seq: number): { text: string; outputTokens?: number; tokens?: number } => {
    const random = mulberry32((base ^ Math.imul(seq + 1, 0x9e3779b1)) >>> 0);
    const drawn = drawLength(synthetic.promptTokens, random);
    const tokens =
      typeof synthetic.promptTokens === 'number'
        ? Math.max(1, Math.round(drawn * (1 + spread * (2 * random() - 1))))
        : drawn;
    const made = counter ? countedText(tokens, random, counter) : { text: syntheticText(tokens, random) };
    if (synthetic.outputTokens === undefined) return made;
    return { ...made, outputTokens: drawLength(synthetic.outputTokens, random) };
  };
  // Consecutive requests share a prefix: the last one made is kept (a tokenizer's is costly to make).
  let lastPrefix: { group: number; text: string } | undefined;
  const prefix = (conversation: number): string => {
    const shared = synthetic.sharedPrefix;
    if (!shared) return '';
    const group = shared.prompts === undefined ? 0 : Math.floor(conversation / shared.prompts);
    if (lastPrefix?.group === group) return lastPrefix.text;
    const random = mulberry32((prefixBase ^ Math.imul(group + 1, 0x85ebca6b)) >>> 0);
    const text = `${counter ? countedText(shared.tokens, random, counter).text : exactText(shared.tokens, random)}\n\n`;
    lastPrefix = { group, text };
    return text;
  };
  const parts = [`synthetic, ${describeLength(synthetic.promptTokens)} tokens`];
  if (typeof synthetic.promptTokens === 'number') parts[0] += ` ± ${Math.round(spread * 100)}%`;
  if (counter) parts[0] += ' (exact, by the tokenizer)';
  if (synthetic.outputTokens !== undefined) parts.push(`output ${describeLength(synthetic.outputTokens)} tokens`);
  if (synthetic.sharedPrefix)
    parts.push(
      `a ${synthetic.sharedPrefix.tokens}-token prefix shared by ${synthetic.sharedPrefix.prompts === undefined ? 'all' : `every ${synthetic.sharedPrefix.prompts}`}`,
    );
  if (synthetic.turns > 1) parts.push(`${synthetic.turns} turns per conversation`);
  // With a tokenizer, each message's count is known from its making (a prefixed one is counted whole).
  const systemTokens = counter && synthetic.system ? counter.count(synthetic.system) : 0;
  /** A message's tokens: known from its making, unless a prefix was put before it. */
  const countOf = (content: string, known: number | undefined, prefixed: boolean): number =>
    known !== undefined && !prefixed ? known : (counter?.count(content) ?? 0);
  return {
    describe: parts.join(', '),
    at: (seq) => {
      // Each request's text depends on the seed and its number only, not on the order in
      // which requests happen to be built.
      const conversation = Math.floor(seq / synthetic.turns);
      const first = conversation * synthetic.turns;
      const own = turn(seq);
      const withLength = (item: PromptItem, promptTokens: number): PromptItem => ({
        ...item,
        ...(own.outputTokens !== undefined ? { outputTokens: own.outputTokens } : {}),
        ...(counter ? { promptTokens } : {}),
      });
      const prefixed = synthetic.sharedPrefix !== undefined;
      if (!wantsMessages) {
        const text = prefix(conversation) + own.text;
        return withLength({ kind: 'text', text }, countOf(text, own.tokens, prefixed));
      }
      const messages: Message[] = synthetic.system ? [{ role: 'system', content: synthetic.system }] : [];
      let promptTokens = systemTokens;
      // Earlier turns of the conversation, as they were sent, each with a reply of its output length.
      for (let earlier = first; earlier < seq; earlier++) {
        const past = turn(earlier);
        const replyRandom = mulberry32((base ^ Math.imul(earlier + 1, 0x27d4eb2f)) >>> 0);
        const replyTokens = past.outputTokens ?? past.tokens ?? Math.ceil(Buffer.byteLength(past.text) / 4);
        const content = (earlier === first ? prefix(conversation) : '') + past.text;
        messages.push({ role: 'user', content });
        promptTokens += countOf(content, past.tokens, prefixed && earlier === first);
        const reply: { text: string; tokens?: number } = counter
          ? countedText(replyTokens, replyRandom, counter)
          : { text: syntheticText(replyTokens, replyRandom) };
        messages.push({ role: 'assistant', content: reply.text });
        promptTokens += reply.tokens ?? 0;
      }
      const content = (seq === first ? prefix(conversation) : '') + own.text;
      messages.push({ role: 'user', content });
      promptTokens += countOf(content, own.tokens, prefixed && seq === first);
      return withLength({ kind: 'messages', messages }, promptTokens);
    },
  };
}

/**
 * A trace request's prompt: exactly its input length (4 ASCII bytes a token). Mooncake's
 * hash ids become blocks of text that are equal wherever the id is; the rest is this
 * request's own.
 */
/** Synthetic text of exactly `tokens` tokens by the 4-bytes estimate (blocks that must line up). */
function exactText(tokens: number, random: () => number): string {
  return syntheticText(tokens, random)
    .padEnd(tokens * 4, ' ')
    .slice(0, tokens * 4);
}

function traceText(entry: TraceEntry, blockTokens: number, base: number, seq: number): string {
  const bytes = entry.inputTokens * 4;
  let text = '';
  for (const id of entry.hashIds ?? []) {
    if (text.length >= bytes) break;
    const random = mulberry32((base ^ Math.imul(id + 1, 0x9e3779b1)) >>> 0);
    text += syntheticText(blockTokens, random)
      .padEnd(blockTokens * 4, ' ')
      .slice(0, blockTokens * 4);
  }
  if (text.length < bytes) {
    const rest = Math.ceil((bytes - text.length) / 4);
    text += syntheticText(rest, mulberry32((base ^ Math.imul(seq + 1, 0x68e31da4)) >>> 0));
  }
  return text.slice(0, bytes);
}

export function usesMessages(format: InputFormat): boolean {
  return format === 'messages' || format === 'openai_chat';
}

/** A tiny seeded generator: one closure per prompt instead of a full Rng. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** WORDS with their leading space, built once: the loop below is on every request's path. */
const SPACED_WORDS = WORDS.map((word) => ` ${word}`);

/** Text that the emulator's token estimate (src/emulator/tokens.ts: 4 bytes a token) puts at `tokens` tokens. Linear in its length. */
export function syntheticText(tokens: number, random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  // A task sentence reads better, but is itself ~10 tokens: tiny prompts are words only.
  let text = tokens >= 16 ? `${pick(TASKS)} ${pick(WORDS)} ${pick(WORDS)}.` : pick(WORDS);
  // Every piece is ASCII, so its length is its UTF-8 byte count; 4 bytes a token.
  const bytes = tokens * 4;
  const count = SPACED_WORDS.length;
  while (text.length < bytes - 3) text += SPACED_WORDS[Math.floor(random() * count)] as string;
  return text;
}

/**
 * Synthetic text of exactly `tokens` tokens by the tokenizer: words until the count is
 * reached (each addition sized by the tokens a byte gave so far, so the work stays linear),
 * then cut at the token and checked again, since a cut can merge or split at its edge.
 */
export function tokenizerText(tokens: number, random: () => number, counter: TokenCounter): string {
  return countedText(tokens, random, counter).text;
}

/** tokenizerText and its count (tokens, unless 16 cuts could not land on it). */
function countedText(tokens: number, random: () => number, counter: TokenCounter): { text: string; tokens: number } {
  // A little over the 4-bytes estimate: most tokenizers then need one cut, not another round of words.
  let text = syntheticText(Math.ceil(tokens * 1.15) + 1, random);
  let ids = counter.encode(text);
  for (let round = 0; ids.length < tokens && round < 64; round++) {
    const tokensPerByte = Math.max(ids.length, 1) / Math.max(text.length, 1);
    const missingBytes = Math.ceil(((tokens - ids.length) * 1.1) / tokensPerByte);
    text += ` ${syntheticText(Math.max(1, Math.ceil(missingBytes / 4)), random)}`;
    ids = counter.encode(text);
  }
  for (let round = 0; ids.length !== tokens && round < 16; round++) {
    if (ids.length > tokens) text = counter.decode(ids.slice(0, tokens));
    // One token short after a cut: a word more, then cut again.
    else text += ` ${syntheticText(1, random)}`;
    ids = counter.encode(text);
  }
  return { text, tokens: ids.length };
}
