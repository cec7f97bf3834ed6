// Counting tokens with a local tokenizer.json (input.tokenizer): the reader on the sample
// tokenizer (scenarios/data/tokenizer.json, made by tools/samples.ts), synthetic prompts of
// exactly N tokens by it, prompt counts on every item, and one clear line for a bad file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { loadTokenizer } from '../../util/tokenizer.js';
import { createRng } from '../../util/rng.js';
import { parseScenario } from '../load.js';
import { createPromptSource, tokenizerText } from '../prompts.js';

const SAMPLE = fileURLToPath(new URL('../../../scenarios/data/tokenizer.json', import.meta.url));
const vocab = (JSON.parse(readFileSync(SAMPLE, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
const counter = loadTokenizer(SAMPLE, 'test');

async function source(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'podbench-tok-'));
  const file = join(dir, 's.yaml');
  const loaded = parseScenario(`name: s\nload: { concurrency: 1, requests: 10 }\n${yaml}`, file);
  const scenario = loaded.variants[0]!.scenario;
  return createPromptSource(scenario, file);
}

describe('the tokenizer reader', () => {
  it('gives the known ids of a known text (byte-level BPE: known words after a space are one token)', () => {
    // "Write" opens the text (no space before it): five byte tokens; "." is byte 46.
    const ids = counter.encode('Write a robot walks.');
    const word = (token: string) => vocab[token];
    expect(ids).toEqual([87, 114, 105, 116, 101, word('Ġa'), word('Ġrobot'), word('Ġwalks'), 46]);
    expect(counter.count('Write a robot walks.')).toBe(9);
    // An unknown word falls back to its bytes; any text can be counted.
    expect(counter.count(' zebra')).toBe(6);
    expect(counter.count('é')).toBe(2);
    expect(counter.count('')).toBe(0);
    expect(counter.decode(ids)).toBe('Write a robot walks.');
  });

  it('is read once per path', () => {
    expect(loadTokenizer(SAMPLE, 'again')).toBe(counter);
  });

  it('says in one line what is wrong with a missing, unreadable or invalid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-tok-bad-'));
    const bad = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'absent.json'), /^s\.yaml: input\.tokenizer: .*absent\.json: no such file$/],
      [dir, /^s\.yaml: input\.tokenizer: .*: cannot read: /],
      [bad('broken.json', '{"model": '), /not a usable tokenizer\.json: .*JSON/],
      [bad('array.json', '[1, 2]'), /not a usable tokenizer\.json: expected a JSON object$/],
      [bad('nomodel.json', '{"version": "1.0"}'), /not a usable tokenizer\.json: .*model/],
      [
        bad(
          'novocab.json',
          JSON.stringify({ model: { type: 'WordLevel', vocab: {}, unk_token: '[UNK]' }, decoder: null }),
        ),
        /not a usable tokenizer\.json: /,
      ],
    ];
    for (const [path, message] of cases) {
      let error: unknown;
      try {
        loadTokenizer(path, 's.yaml: input.tokenizer');
      } catch (err) {
        error = err;
      }
      expect(error, path).toBeInstanceOf(UsageError);
      expect((error as Error).message, path).toMatch(message);
      expect((error as Error).message.includes('\n'), path).toBe(false);
    }
  });

  it('is checked when the scenario loads, relative to the scenario file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-tok-load-'));
    const file = join(dir, 's.yaml');
    expect(() => parseScenario('name: s\ninput: { tokenizer: nope.json }\n', file)).toThrow(
      new UsageError(`${file}: input.tokenizer: ${join(dir, 'nope.json')}: no such file`),
    );
    writeFileSync(join(dir, 'tok.json'), readFileSync(SAMPLE));
    expect(parseScenario('name: s\ninput: { tokenizer: tok.json }\n', file).variants).toHaveLength(1);
  });
});

describe('prompts with a tokenizer', () => {
  it('makes synthetic text of exactly N tokens, for every N and seed', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rng = createRng(seed);
      for (const n of [1, 2, 3, 7, 15, 16, 17, 64, 128, 300, 1000]) {
        const text = tokenizerText(n, () => rng.next(), counter);
        expect(counter.count(text), `${n} tokens, seed ${seed}`).toBe(n);
      }
    }
  });

  it('makes every synthetic prompt exactly promptTokens long, and records its count', async () => {
    const prompts = await source(
      `input: { format: prompt, tokenizer: ${SAMPLE}, synthetic: { promptTokens: 50, spread: 0 } }`,
    );
    expect(prompts.describe).toMatch(/exact, by the tokenizer/);
    for (let seq = 0; seq < 40; seq++) {
      const item = prompts.at(seq);
      if (item.kind !== 'text') throw new Error('expected a text prompt');
      expect(counter.count(item.text), `#${seq}`).toBe(50);
      expect(item.promptTokens).toBe(50);
    }
  });

  it('draws lengths from a distribution and makes each exactly that long', async () => {
    const prompts = await source(
      `input: { format: prompt, tokenizer: ${SAMPLE}, synthetic: { promptTokens: { distribution: uniform, min: 5, max: 200 } } }`,
    );
    const lengths = new Set<number>();
    for (let seq = 0; seq < 40; seq++) {
      const item = prompts.at(seq);
      if (item.kind !== 'text') throw new Error('expected a text prompt');
      expect(item.promptTokens).toBe(counter.count(item.text));
      lengths.add(item.promptTokens as number);
    }
    expect(lengths.size).toBeGreaterThan(10);
  });

  it('counts chat messages as the sum of their contents (no chat template)', async () => {
    const prompts = await source(
      `input: { format: messages, tokenizer: ${SAMPLE}, synthetic: { promptTokens: 30, spread: 0, turns: 2, outputTokens: 8, system: 'Answer briefly.' } }`,
    );
    for (let seq = 0; seq < 6; seq++) {
      const item = prompts.at(seq);
      if (item.kind !== 'messages') throw new Error('expected messages');
      const contents = item.messages.map((m) => counter.count(m.content));
      expect(item.promptTokens).toBe(contents.reduce((a, b) => a + b, 0));
      // The user turn sent now is exactly 30 tokens; a reply is exactly its output length.
      expect(contents.at(-1)).toBe(30);
      if (seq % 2 === 1) expect(contents[2]).toBe(8);
    }
  });

  it('counts prompts that open with a shared prefix, in both formats, and builds them in any order alike', async () => {
    for (const format of ['prompt', 'messages']) {
      const yaml = `input: { format: ${format}, tokenizer: ${SAMPLE}, synthetic: { promptTokens: 20, turns: ${format === 'messages' ? 2 : 1}, sharedPrefix: { tokens: 16, prompts: 2 } } }`;
      const prompts = await source(yaml);
      const again = await source(yaml);
      const texts = (item: ReturnType<typeof prompts.at>) =>
        item.kind === 'text' ? [item.text] : item.messages.map((m) => m.content);
      for (let seq = 5; seq >= 0; seq--) {
        const item = prompts.at(seq);
        expect(item.promptTokens, `${format} #${seq}`).toBe(texts(item).reduce((n, t) => n + counter.count(t), 0));
      }
      for (let seq = 0; seq < 6; seq++) expect(texts(again.at(seq))).toEqual(texts(prompts.at(seq)));
    }
  });

  it('counts the prompts of a dataset file', async () => {
    const data = fileURLToPath(new URL('../../../scenarios/data/prompts.jsonl', import.meta.url));
    const prompts = await source(`input: { format: messages, tokenizer: ${SAMPLE}, file: ${data} }`);
    for (let seq = 0; seq < 8; seq++) {
      const item = prompts.at(seq);
      if (item.kind !== 'messages') throw new Error('expected messages');
      expect(item.promptTokens).toBe(item.messages.reduce((n, m) => n + counter.count(m.content), 0));
    }
    // Rows repeat; each is counted once.
    expect(prompts.at(8)).toBe(prompts.at(0));
  });

  it('leaves items without a count when no tokenizer is given', async () => {
    const prompts = await source('input: { format: prompt, synthetic: { promptTokens: 20 } }');
    expect(prompts.at(0).promptTokens).toBeUndefined();
  });
});
