import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.js';
import { sortValues } from './sort-values.js';

function same(values: Float64Array): void {
  const expected = Float64Array.from(values).sort();
  const sorted = sortValues(Float64Array.from(values));
  for (let i = 0; i < values.length; i++) expect(Object.is(sorted[i], expected[i])).toBe(true);
}

describe('sortValues', () => {
  it('orders values as the built-in sort does, signs, zeros and extremes included', () => {
    const rng = createRng(3);
    const mixed = Float64Array.from({ length: 20_000 }, () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12));
    mixed.set([0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, Infinity, -Infinity]);
    same(mixed);
  });

  it('sorts times of one scale (passes skipped), whole numbers, repeats and short arrays', () => {
    const rng = createRng(4);
    same(Float64Array.from({ length: 50_000 }, () => Math.round((300 + rng.next() * 100) * 1000) / 1000));
    same(Float64Array.from({ length: 30_000 }, () => Math.floor(rng.next() * 5)));
    same(new Float64Array(5000).fill(7));
    same(Float64Array.from({ length: 100 }, () => rng.next()));
  });

  it('sorts a view into a larger buffer without touching the rest', () => {
    const buffer = new Float64Array(10_000).map((_, i) => 10_000 - i);
    const view = buffer.subarray(1000, 9000);
    sortValues(view);
    expect(view[0]).toBe(1001);
    expect(view[view.length - 1]).toBe(9000);
    expect(buffer[0]).toBe(10_000);
    expect(buffer[9999]).toBe(1);
  });
});
