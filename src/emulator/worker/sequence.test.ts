import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng.js';
import type { GenerationPlan } from '../formats/generation-plan.js';
import type { Sequence } from '../types.js';
import { advanceSequence, createSequence, stopRulesFor } from './sequence.js';
import { FIRST_PIECE_ID, VOCABULARY_SIZE } from './vocabulary.js';

function plan(overrides: Partial<GenerationPlan> = {}, stream = true): GenerationPlan {
  return {
    kind: 'generate',
    promptTokens: 10,
    n: 1,
    bestOf: 1,
    maxTokens: 50,
    minTokens: 0,
    ignoreEos: false,
    stop: [],
    stopTokenIds: [],
    includeStopStrInOutput: false,
    seed: undefined,
    output: { kind: 'legacy-tokens', stream, batch: { maxBatchSize: 50, minBatchSize: 1, growthFactor: 3 } },
    errorSite: 'legacy-engine',
    ...overrides,
  };
}

function run(p: GenerationPlan, eos: number, seed = 1): { seq: Sequence; deltas: string[] } {
  const seq = createSequence(createRng(seed), true);
  const rules = stopRulesFor(p);
  const deltas: string[] = [];
  while (!seq.finished) {
    advanceSequence(seq, p, rules, eos);
    deltas.push(seq.delta);
  }
  return { seq, deltas };
}

describe('synthetic sequences', () => {
  it('stop at max_tokens with finish_reason length; streamed deltas add up to the non-stream text', () => {
    const streamed = run(plan({ maxTokens: 40 }), 0);
    expect(streamed.seq.tokens).toBe(40);
    expect(streamed.seq.finishReason).toBe('length');
    expect(streamed.seq.text).toBe(''); // a stream without stop strings keeps no text
    const whole = run(plan({ maxTokens: 40 }, false), 0);
    expect(whole.deltas.every((d) => d === '')).toBe(true);
    expect(streamed.deltas.join('')).toBe(whole.seq.text);
  });

  it('are deterministic for a seed', () => {
    expect(run(plan({}, false), 0.05, 9).seq.text).toBe(run(plan({}, false), 0.05, 9).seq.text);
    expect(run(plan({}, false), 0, 9).seq.text).not.toBe(run(plan({}, false), 0, 10).seq.text);
  });

  it('draw no end of sequence before min_tokens, and none at all with ignore_eos', () => {
    const early = run(plan({ minTokens: 7 }), 1);
    expect(early.seq.tokens).toBe(8); // 7 tokens, then the end-of-sequence token
    expect(early.seq.finishReason).toBe('stop');
    expect(run(plan({ ignoreEos: true, maxTokens: 30 }), 1).seq.tokens).toBe(30);
  });

  it('end on a stop token id, which has no text', () => {
    const all = Array.from({ length: VOCABULARY_SIZE }, (_, i) => FIRST_PIECE_ID + i);
    const { seq } = run(plan({ stopTokenIds: all }, false), 0);
    expect(seq.tokens).toBe(1);
    expect(seq.text).toBe('');
    expect(typeof seq.stopReason).toBe('number');
  });

  it('cut the text before a stop string, and never stream part of it', () => {
    for (let seed = 1; seed < 30; seed++) {
      const p = plan({ stop: [' the', '.'], maxTokens: 200 });
      const { seq, deltas } = run(p, 0, seed);
      expect(deltas.join('')).toBe(seq.text);
      expect(seq.text.includes(' the')).toBe(false);
      expect(seq.text.includes('.')).toBe(false);
      if (seq.finishReason === 'stop') expect([' the', '.']).toContain(seq.stopReason);
    }
  });

  it('keep the stop string with include_stop_str_in_output', () => {
    const { seq } = run(plan({ stop: ['.'], includeStopStrInOutput: true, maxTokens: 500 }, false), 0, 3);
    expect(seq.finishReason).toBe('stop');
    expect(seq.text.endsWith('.')).toBe(true);
  });

  it('include multi-byte pieces', () => {
    const { seq } = run(plan({ maxTokens: 2000 }, false), 0, 4);
    expect(Buffer.byteLength(seq.text)).toBeGreaterThan(seq.text.length);
  });
});
