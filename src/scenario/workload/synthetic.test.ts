// Synthetic workloads: length distributions (moments, bounds, seeding), shared prefixes,
// multi-turn history, trace prompts and the exact output length in the request body.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng.js';
import { parseScenario } from '../load.js';
import { buildSubmission } from '../payload.js';
import { createPromptSource, type PromptItem } from '../prompts.js';
import { drawLength, lengthSchema } from './lengths.js';

function moments(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

function draws(spec: unknown, n = 20_000, seed = 7): number[] {
  const parsed = lengthSchema.parse(spec);
  const rng = createRng(seed);
  return Array.from({ length: n }, () => drawLength(parsed, () => rng.next()));
}

describe('length distributions', () => {
  it('fixed: always the value', () => {
    expect(new Set(draws(64, 100))).toEqual(new Set([64]));
    expect(new Set(draws({ distribution: 'fixed', value: 9 }, 100))).toEqual(new Set([9]));
  });

  it('uniform: integers in [min, max] with the uniform mean and standard deviation (within 2%)', () => {
    const values = draws({ distribution: 'uniform', min: 100, max: 300 });
    expect(Math.min(...values)).toBe(100);
    expect(Math.max(...values)).toBe(300);
    const { mean, sd } = moments(values);
    expect(mean).toBeGreaterThan(200 * 0.98);
    expect(mean).toBeLessThan(200 * 1.02);
    const expectedSd = Math.sqrt((201 ** 2 - 1) / 12);
    expect(Math.abs(sd - expectedSd) / expectedSd).toBeLessThan(0.02);
  });

  it('normal: mean and standard deviation within 2% when the bounds are far away', () => {
    const { mean, sd } = moments(draws({ distribution: 'normal', mean: 512, stddev: 64, min: 1, max: 4096 }));
    expect(Math.abs(mean - 512) / 512).toBeLessThan(0.02);
    expect(Math.abs(sd - 64) / 64).toBeLessThan(0.02);
  });

  it('normal with near bounds: truncated (redrawn), never clamped into a pile at the bound', () => {
    const values = draws({ distribution: 'normal', mean: 100, stddev: 50, min: 80, max: 120 });
    expect(Math.min(...values)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...values)).toBeLessThanOrEqual(120);
    const atBound = values.filter((v) => v === 80).length / values.length;
    // A truncated normal on [80, 120] puts about 1/41 on each integer; clamping would put ~35% on 80.
    expect(atBound).toBeLessThan(0.05);
  });

  it('the same seed gives the same lengths; another seed others', () => {
    const spec = { distribution: 'normal', mean: 200, stddev: 40 };
    expect(draws(spec, 50, 1)).toEqual(draws(spec, 50, 1));
    expect(draws(spec, 50, 1)).not.toEqual(draws(spec, 50, 2));
  });

  it('refuses max below min', () => {
    expect(lengthSchema.safeParse({ distribution: 'uniform', min: 10, max: 5 }).success).toBe(false);
  });
});

async function source(yaml: string, file = join(mkdtempSync(join(tmpdir(), 'podbench-syn-')), 's.yaml')) {
  const loaded = parseScenario(`name: s\nload: { concurrency: 1, requests: 10 }\n${yaml}`, file);
  const scenario = loaded.variants[0]!.scenario;
  return { scenario, prompts: await createPromptSource(scenario, file) };
}

const userText = (item: PromptItem): string =>
  item.kind === 'text' ? item.text : (item.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');

describe('synthetic prompts', () => {
  it('output lengths from a distribution go out as exact max_tokens, min_tokens and ignore_eos', async () => {
    const { scenario, prompts } = await source(
      'input: { synthetic: { promptTokens: 32, outputTokens: { distribution: uniform, min: 10, max: 20 } } }',
    );
    for (let seq = 0; seq < 20; seq++) {
      const item = prompts.at(seq);
      const n = item.outputTokens as number;
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(20);
      const body = buildSubmission(scenario, item, undefined).body as { input: { sampling_params: object } };
      expect(body.input.sampling_params).toMatchObject({ max_tokens: n, min_tokens: n, ignore_eos: true });
    }
  });

  it('exactOutput: false sends max_tokens alone; an OpenAI body carries them at the top level', async () => {
    const loose = await source('input: { exactOutput: false, synthetic: { outputTokens: 12 } }');
    const body = buildSubmission(loose.scenario, loose.prompts.at(0), undefined).body as {
      input: { sampling_params: Record<string, unknown> };
    };
    expect(body.input.sampling_params).toEqual({ max_tokens: 12 });
    const openai = await source('mode: openai\ninput: { synthetic: { outputTokens: 12 } }');
    expect(buildSubmission(openai.scenario, openai.prompts.at(0), 'm').body).toMatchObject({
      max_tokens: 12,
      min_tokens: 12,
      ignore_eos: true,
    });
  });

  it('shared prefix: every N consecutive prompts open with the same K-token text, other groups with another', async () => {
    const { prompts } = await source(
      'input: { format: prompt, synthetic: { promptTokens: 40, sharedPrefix: { tokens: 100, prompts: 4 } } }',
    );
    const texts = Array.from({ length: 12 }, (_, seq) => userText(prompts.at(seq)));
    const prefixOf = (text: string) => text.slice(0, text.indexOf('\n\n'));
    const prefixes = texts.map(prefixOf);
    // 100 tokens at 4 bytes each.
    expect(Math.ceil((prefixes[0] as string).length / 4)).toBe(100);
    for (let group = 0; group < 3; group++) {
      const members = prefixes.slice(group * 4, group * 4 + 4);
      expect(new Set(members).size).toBe(1);
    }
    expect(new Set(prefixes).size).toBe(3);
    // What follows the prefix is each request's own.
    expect(new Set(texts.map((t) => t.slice(t.indexOf('\n\n')))).size).toBe(12);
  });

  it('multi-turn: turn k carries the k-1 earlier prompts exactly as they were sent, with replies', async () => {
    const { prompts } = await source('input: { synthetic: { promptTokens: 20, outputTokens: 8, turns: 3 } }');
    const turn = (seq: number) => (prompts.at(seq) as Extract<PromptItem, { kind: 'messages' }>).messages;
    expect(turn(0).map((m) => m.role)).toEqual(['system', 'user']);
    expect(turn(2).map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(turn(1).slice(0, 2)).toEqual(turn(0));
    expect(turn(2).slice(0, 4)).toEqual(turn(1));
    // Replies in the history are as long as the turn's output length (8 tokens, 4 bytes each).
    expect(Math.ceil((turn(2)[2]?.content.length ?? 0) / 4)).toBe(8);
    // Request 3 starts the next conversation.
    expect(turn(3).map((m) => m.role)).toEqual(['system', 'user']);
    expect(turn(3)[1]).not.toEqual(turn(0)[1]);
  });

  it('turns need a messages format', async () => {
    await expect(source('input: { format: prompt, synthetic: { turns: 2 } }')).rejects.toThrow(
      /synthetic.turns: conversations need input.format messages/,
    );
  });

  it('spread with a distribution is refused', () => {
    expect(() =>
      parseScenario(
        'name: s\nload: { concurrency: 1, requests: 1 }\ninput: { synthetic: { promptTokens: { distribution: fixed, value: 3 }, spread: 0.1 } }',
        's.yaml',
      ),
    ).toThrow(/synthetic.spread applies to a number of promptTokens/);
  });
});

describe('trace prompts', () => {
  it('Mooncake hash ids: equal ids give equal blocks of text; each prompt is exactly its input length', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-trace-'));
    writeFileSync(
      join(dir, 't.jsonl'),
      [
        { timestamp: 0, input_length: 20, output_length: 5, hash_ids: [1, 2] },
        { timestamp: 10, input_length: 15, output_length: 6, hash_ids: [1, 3] },
        { timestamp: 20, input_length: 25, output_length: 7, hash_ids: [4] },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const { prompts } = await source(
      'input: { format: prompt, trace: { file: t.jsonl, blockTokens: 10 } }',
      join(dir, 's.yaml'),
    );
    const [a, b, c] = [0, 1, 2].map((seq) => prompts.at(seq));
    expect([a, b, c].map((item) => userText(item as PromptItem).length)).toEqual([80, 60, 100]);
    expect([a, b, c].map((item) => item?.outputTokens)).toEqual([5, 6, 7]);
    const blockA = userText(a as PromptItem).slice(0, 40);
    expect(userText(b as PromptItem).slice(0, 40)).toBe(blockA);
    expect(userText(a as PromptItem).slice(40, 80)).not.toBe(userText(b as PromptItem).slice(40, 60));
    expect(userText(c as PromptItem).slice(0, 40)).not.toBe(blockA);
  });
});
