// The prompts a scenario sends: synthetic ones of a target size (seeded, each request its
// own text), or the lines of a JSONL file used in order and repeated.
import { readFileSync, statSync } from 'node:fs';
import { INPUT_LIMITS } from '../core/input-limits.js';
import { dirname, resolve } from 'node:path';
import { UsageError, messageOf } from '../core/errors.js';
import { hashString } from '../util/rng.js';
import { formatIssues } from '../util/schema.js';
import { z } from 'zod';
import { messageSchema, type InputFormat, type Message, type Scenario } from './schema.js';

export type PromptItem = { kind: 'text'; text: string } | { kind: 'messages'; messages: Message[] };

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

const lineSchema = z.union([
  z.strictObject({ prompt: z.string().min(1) }),
  z.strictObject({ messages: z.array(messageSchema).min(1) }),
]);

export function createPromptSource(scenario: Scenario, scenarioFile: string): PromptSource {
  const { input } = scenario;
  const wantsMessages = usesMessages(input.format);
  if (input.file) {
    const path = resolve(dirname(scenarioFile), input.file);
    const items = readJsonl(path, wantsMessages);
    return {
      at: (seq) => items[seq % items.length] as PromptItem,
      describe: `file ${input.file} (${items.length} prompts)`,
    };
  }
  const synthetic = input.synthetic ?? { promptTokens: 128, spread: 0.2, system: 'You are a helpful assistant.' };
  const base = hashString(`prompts:${scenario.seed}`);
  return {
    describe: `synthetic, about ${synthetic.promptTokens} tokens ± ${Math.round(synthetic.spread * 100)}%`,
    at: (seq) => {
      // Each request's text depends on the seed and its number only, not on the order in
      // which requests happen to be built.
      const random = mulberry32((base ^ Math.imul(seq + 1, 0x9e3779b1)) >>> 0);
      const tokens = Math.max(1, Math.round(synthetic.promptTokens * (1 + synthetic.spread * (2 * random() - 1))));
      const text = syntheticText(tokens, random);
      if (!wantsMessages) return { kind: 'text', text };
      const messages: Message[] = synthetic.system ? [{ role: 'system', content: synthetic.system }] : [];
      messages.push({ role: 'user', content: text });
      return { kind: 'messages', messages };
    },
  };
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

/** Text that the emulator's token estimate (src/emulator/tokens.ts: 4 bytes a token) puts at `tokens` tokens. Linear in its length. */
export function syntheticText(tokens: number, random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  // A task sentence reads better, but is itself ~10 tokens: tiny prompts are words only.
  const parts = [tokens >= 16 ? `${pick(TASKS)} ${pick(WORDS)} ${pick(WORDS)}.` : pick(WORDS)];
  // Every piece is ASCII, so its length is its UTF-8 byte count.
  let bytes = (parts[0] as string).length;
  while (Math.ceil(bytes / 4) < tokens) {
    const word = ` ${pick(WORDS)}`;
    parts.push(word);
    bytes += word.length;
  }
  return parts.join('');
}

function readJsonl(path: string, wantsMessages: boolean): PromptItem[] {
  let text: string;
  try {
    // Checked before reading: the file is read whole.
    const size = statSync(path).size;
    if (size > INPUT_LIMITS.promptsFileBytes)
      throw new UsageError(`${path}: ${size} bytes; a prompt file is read whole, at most 256 MB`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path}: cannot read the prompt file: ${messageOf(err)}`);
  }
  const items: PromptItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${path}: line ${i + 1}: not valid JSON`);
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) throw new UsageError(formatIssues(`${path}: line ${i + 1}`, parsed.error));
    if ('prompt' in parsed.data) {
      items.push(
        wantsMessages
          ? { kind: 'messages', messages: [{ role: 'user', content: parsed.data.prompt }] }
          : { kind: 'text', text: parsed.data.prompt },
      );
    } else {
      if (!wantsMessages) {
        throw new UsageError(
          `${path}: line ${i + 1}: has messages, but input.format takes a prompt; use format messages or openai_chat`,
        );
      }
      items.push({ kind: 'messages', messages: parsed.data.messages });
    }
  }
  if (items.length === 0) throw new UsageError(`${path}: the prompt file has no prompts`);
  return items;
}
