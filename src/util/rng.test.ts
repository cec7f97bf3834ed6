import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';

describe('createRng', () => {
  // Every seeded figure (arrival times, prompts, bootstrap intervals) rests on this stream:
  // a faster generator must draw the same numbers (values from the closure-variable sfc32).
  it('draws the same stream for a seed as it always has', () => {
    const rng = createRng(0x9e3779b9);
    expect(Array.from({ length: 4 }, () => rng.next())).toEqual([
      0.6265394338406622, 0.06195863080210984, 0.05997042078524828, 0.9259405687917024,
    ]);
    const forked = createRng(7).fork('x');
    expect([forked.int(1, 1000), forked.normal()]).toEqual([446, -1.1799635192134081]);
  });

  it('fills a buffer with the draws next() would give, and goes on from there', () => {
    for (const seed of [0, 1, 0xffffffff, 123456789]) {
      const one = createRng(seed);
      const batch = createRng(seed);
      const expected = Array.from({ length: 5000 }, () => one.next());
      const out = new Float64Array(5000);
      batch.fill(out);
      expect(Array.from(out)).toEqual(expected);
      // The state moved on exactly as far: the streams stay in step, through every word's wrap.
      for (let i = 0; i < 1000; i++) expect(batch.next()).toBe(one.next());
    }
  });

  it('keeps draws in [0, 1) past a million of them', () => {
    const rng = createRng(0xffffffff);
    let low = 1;
    let high = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const v = rng.next();
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
  });
});
