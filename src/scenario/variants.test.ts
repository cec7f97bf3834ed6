// How a scenario's matrix becomes named variants, and the limits parseScenario enforces at
// their edges: names from the last path segment unless two end alike, duplicate values
// numbered, value texts, --set on the matrix itself, runsyncWait's documented range.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { parseSetFlag } from '../util/override.js';
import { parseScenario } from './load.js';
import { isOpenAiMode } from './payload.js';

const BASE = 'name: t\nmode: sync\nload: { concurrency: 2, requests: 4 }\n';
const names = (text: string, overrides: Parameters<typeof parseScenario>[2] = []) =>
  parseScenario(text, 't.yaml', overrides).variants.map((v) => v.name);
const errorOf = (text: string): string => {
  try {
    parseScenario(text, 't.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('variant names', () => {
  it('use the whole path when two varied fields end alike', () => {
    expect(
      names(`${BASE}matrix:\n  load.concurrency: [1]\n  emulator.workers.concurrency: [4]\n  polling.wait: [5s]\n`),
    ).toEqual(['load.concurrency=1 emulator.workers.concurrency=4 wait=5s']);
  });

  it('number duplicate values instead of giving two variants one name', () => {
    expect(names(`${BASE}matrix:\n  load.concurrency: [1, 1, 2, 1]\n`)).toEqual([
      'concurrency=1',
      'concurrency=1 #2',
      'concurrency=2',
      'concurrency=1 #3',
    ]);
  });

  it('print strings as they are, numbers, booleans and null as text, others as JSON', () => {
    expect(
      names(
        `${BASE}matrix:\n  sampling_params.stop: [END, 7, true, null, [a, b]]\n`.replace('mode: sync', 'mode: stream'),
      ),
    ).toEqual(['stop=END', 'stop=7', 'stop=true', 'stop=null', 'stop=["a","b"]']);
  });
});

describe('--set on the matrix', () => {
  it('reshapes the variants before the other flags apply', () => {
    const text = `${BASE}matrix:\n  load.concurrency: [1, 8]\n`;
    expect(names(text, [parseSetFlag('matrix={ sampling_params.max_tokens: [8, 16] }')])).toEqual([
      'max_tokens=8',
      'max_tokens=16',
    ]);
    // A flag that is not about the matrix leaves its dimensions alone.
    expect(names(text, [parseSetFlag('sampling_params.max_tokens=8')])).toEqual(['concurrency=1', 'concurrency=8']);
  });

  it('refuses a matrix that is not a map, an empty map of labels, and fields that cannot vary', () => {
    expect(errorOf(`${BASE}matrix: [1, 2]\n`)).toBe('t.yaml: matrix: expected a map of field path to a list of values');
    expect(errorOf(`${BASE}matrix:\n  load: {}\n`)).toMatch(
      /^t.yaml: matrix.load: expected a non-empty list of values/,
    );
    expect(errorOf(`${BASE}matrix:\n  load: 3\n`)).toMatch(/^t.yaml: matrix.load: expected a non-empty list of values/);
    expect(errorOf(`${BASE}matrix:\n  name: [a, b]\n`)).toBe('t.yaml: matrix.name: this field cannot vary');
    expect(
      errorOf(`${BASE}sweep: { field: load.concurrency, start: 1, max: 4 }\nmatrix:\n  mode: [sync, async]\n`),
    ).toMatch(/sweep: a sweep cannot be combined with a matrix/);
  });
});

describe('rules across fields', () => {
  it("accepts runsyncWait from 1000 to 300000 ms, Runpod's range, and nothing outside it", () => {
    const wait = (ms: number) => `${BASE}polling: { runsyncWait: ${ms}ms }\n`;
    expect(parseScenario(wait(1000), 't.yaml').variants[0]!.scenario.polling.runsyncWait).toBe(1000);
    expect(parseScenario(wait(300_000), 't.yaml').variants[0]!.scenario.polling.runsyncWait).toBe(300_000);
    expect(errorOf(wait(999))).toBe('t.yaml: polling.runsyncWait: Runpod accepts 1000-300000 ms, got 999');
    expect(errorOf(wait(300_001))).toBe('t.yaml: polling.runsyncWait: Runpod accepts 1000-300000 ms, got 300001');
  });

  it('keeps prompt_chat_template off both OpenAI routes', () => {
    for (const mode of ['openai', 'openai-stream']) {
      expect(
        errorOf(`${BASE.replace('mode: sync', `mode: ${mode}`)}input: { format: prompt_chat_template }\n`),
      ).toMatch(/input.format: prompt_chat_template needs a native mode/);
    }
    expect(isOpenAiMode('openai')).toBe(true);
    expect(isOpenAiMode('openai-stream')).toBe(true);
    expect(isOpenAiMode('stream')).toBe(false);
  });

  it('says what an empty file or a list is', () => {
    expect(errorOf('')).toBe('t.yaml: expected a map of scenario fields (name, mode, load...), got an empty file');
    expect(errorOf('[1]\n')).toBe('t.yaml: expected a map of scenario fields (name, mode, load...), got a list');
    expect(errorOf('- a\n- b\n')).toBe('t.yaml: expected a map of scenario fields (name, mode, load...), got a list');
    expect(errorOf('12\n')).toBe('t.yaml: expected a map of scenario fields (name, mode, load...), got number');
  });
});
