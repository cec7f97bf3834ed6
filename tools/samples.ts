// `npm run samples`: writes the small workload files in scenarios/data/ (one per format
// podbench reads, docs/workloads.md). Made here from a seed, never downloaded, so anyone can
// see what they hold and make them again; the test suite checks the committed files match.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { createRng, type Rng } from '../src/util/rng.js';

export interface SampleFile {
  /** Relative to the repository root. */
  path: string;
  content: string | Uint8Array;
}

const TOPICS = ['lighthouses', 'tide pools', 'bridges', 'old maps', 'bees', 'glaciers', 'trains', 'libraries'];
const ASKS = ['Explain how', 'Write a short poem about', 'Give three facts about', 'Summarize the history of'];
const WORDS = 'the a quiet bright distant careful river city harbor signal lantern morning evening window'.split(' ');

const pick = <T>(rng: Rng, list: readonly T[]): T => list[rng.int(0, list.length - 1)] as T;
const sentence = (rng: Rng, words: number) => {
  const text = Array.from({ length: words }, () => pick(rng, WORDS)).join(' ');
  return `${text.replace(/^./, (c) => c.toUpperCase())}.`;
};
const question = (rng: Rng) => `${pick(rng, ASKS)} ${pick(rng, TOPICS)}`;

export function sampleFiles(): SampleFile[] {
  const rng = createRng(19);
  const dir = 'scenarios/data';
  const files: SampleFile[] = [];

  // JSONL: the original format (prompt or messages per line), with an expected output length on some lines.
  const jsonl = Array.from({ length: 8 }, (_, i) =>
    i % 3 === 2
      ? {
          messages: [
            { role: 'system', content: 'Answer briefly.' },
            { role: 'user', content: question(rng) },
          ],
        }
      : { prompt: `${question(rng)}.`, output_tokens: rng.int(16, 64) },
  );
  files.push({ path: `${dir}/prompts.jsonl`, content: `${jsonl.map((l) => JSON.stringify(l)).join('\n')}\n` });

  // ShareGPT: a JSON array of conversations, {from: human | gpt, value} turns.
  const sharegpt = Array.from({ length: 5 }, (_, i) => {
    const turns = 1 + (i % 3);
    const conversations = [];
    for (let t = 0; t < turns; t++) {
      conversations.push({ from: 'human', value: t === 0 ? `${question(rng)}?` : `And ${pick(rng, TOPICS)}?` });
      conversations.push({ from: 'gpt', value: sentence(rng, rng.int(8, 40)) });
    }
    return { id: `conv-${i + 1}`, conversations };
  });
  files.push({ path: `${dir}/sharegpt.json`, content: `${JSON.stringify(sharegpt, null, 2)}\n` });

  // CSV with the dataset's own column names (mapped by input.fields), commas and quotes inside cells.
  const csvRows = Array.from({ length: 6 }, () => {
    const text = `${question(rng)}, in "plain" words`;
    return `"${text.replace(/"/g, '""')}",${rng.int(16, 64)}`;
  });
  files.push({ path: `${dir}/questions.csv`, content: `question,answer_tokens\n${csvRows.join('\n')}\n` });

  // Parquet: a prompt column and an INT32 output length.
  const parquetPrompts = Array.from({ length: 6 }, () => `${question(rng)}.`);
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: 'prompt', data: parquetPrompts, type: 'STRING' },
      { name: 'output_tokens', data: parquetPrompts.map(() => rng.int(16, 64)), type: 'INT32' },
    ],
  });
  files.push({ path: `${dir}/prompts.parquet`, content: new Uint8Array(parquet) });

  // Azure LLM inference trace layout: about 4 requests/s (Poisson) for 10 s.
  const azure: string[] = ['TIMESTAMP,ContextTokens,GeneratedTokens'];
  const start = Date.UTC(2023, 10, 16, 18, 15, 46);
  let at = 0;
  for (let i = 0; i < 40; i++) {
    const ms = start + at;
    const date = new Date(Math.floor(ms)).toISOString().replace('T', ' ').slice(0, 19);
    // Seven fractional digits, as the published trace has them.
    const fraction = String(Math.min(9_999_999, Math.round((ms % 1000) * 10_000))).padStart(7, '0');
    azure.push(`${date}.${fraction},${rng.int(64, 1024)},${rng.int(8, 256)}`);
    at += rng.exponential(250);
  }
  files.push({ path: `${dir}/azure-trace.csv`, content: `${azure.join('\n')}\n` });

  // Mooncake trace layout: ms timestamps; requests of one "session" share their first blocks.
  const mooncake: string[] = [];
  let nextBlock = 0;
  const sessions = [0, 1, 2].map(() => Array.from({ length: 3 }, () => nextBlock++));
  let timestamp = 0;
  for (let i = 0; i < 30; i++) {
    const shared = pick(rng, sessions);
    const own = Array.from({ length: rng.int(0, 2) }, () => nextBlock++);
    const hashIds = [...shared.slice(0, rng.int(1, shared.length)), ...own];
    const inputLength = (hashIds.length - 1) * 512 + rng.int(1, 512);
    mooncake.push(
      JSON.stringify({ timestamp, input_length: inputLength, output_length: rng.int(8, 128), hash_ids: hashIds }),
    );
    timestamp += Math.round(rng.exponential(300));
  }
  files.push({ path: `${dir}/mooncake-trace.jsonl`, content: `${mooncake.join('\n')}\n` });

  files.push({ path: `${dir}/tokenizer.json`, content: `${JSON.stringify(sampleTokenizer(), null, 2)}\n` });
  return files;
}

/** Words the sample tokenizer knows whole (after a space): podbench's synthetic words and those above. */
const TOKENIZER_WORDS = [
  ...'the a robot ocean city quiet river story light engine garden winter signal market'.split(' '),
  ...'little old bright distant careful sudden green silver under over through between'.split(' '),
  ...'walks builds remembers finds carries watches explains measures listens wonders'.split(' '),
  ...'morning evening machine lantern bridge mountain harbor library window letter map'.split(' '),
  ...'Write short story about Explain in simple terms Summarize following notes Describe step by'.split(' '),
  ...'Give three facts how poem history of lighthouses tide pools bridges maps bees glaciers trains'.split(' '),
];

/**
 * A tiny byte-level BPE tokenizer in Hugging Face's tokenizer.json layout (as GPT-2 and
 * Llama 3 use): every byte is a token, and each word above, after a space, merges into one.
 * Any text can be encoded; the tests count by hand with it.
 */
export function sampleTokenizer(): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (const char of byteLevelAlphabet()) vocab[char] = Object.keys(vocab).length;
  const merges: string[] = [];
  // Only pieces that start with the space mark merge, so a word merges whole and no merge of one word splits another.
  for (const word of [...new Set(TOKENIZER_WORDS)]) {
    let piece = '\u0120';
    for (const char of word) {
      const next = piece + char;
      if (vocab[next] === undefined) {
        merges.push(`${piece} ${char}`);
        vocab[next] = Object.keys(vocab).length;
      }
      piece = next;
    }
  }
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}

/** GPT-2's map of the 256 bytes to printable characters, in byte order. */
function byteLevelAlphabet(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const chars: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) chars.push(String.fromCodePoint(printable(b) ? b : 256 + shifted++));
  return chars;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  for (const file of sampleFiles()) {
    mkdirSync(join(root, file.path, '..'), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
    process.stdout.write(`wrote ${file.path}\n`);
  }
}
