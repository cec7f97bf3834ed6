import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.js';
import { orderOfValues, sortValues } from './sort-values.js';

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

describe('orderOfValues', () => {
  /** The order the comparator gives (what the cold-start rule sorted its jobs by). */
  const byComparator = (values: Float64Array) =>
    Uint32Array.from(values, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);

  it('orders indices by value, ties (and -0 against 0) in index order, as the comparator did', () => {
    const rng = createRng(6);
    const cases = [
      // Pickup times: ms with three decimals, many equal.
      Float64Array.from({ length: 40_000 }, () => Math.round(rng.next() * 5000) / 4),
      Float64Array.from({ length: 30_000 }, () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12)),
      Float64Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : -1)),
      new Float64Array(3000).fill(42),
      Float64Array.from({ length: 100 }, () => Math.floor(rng.next() * 10)),
    ];
    for (const values of cases) expect(orderOfValues(values)).toStrictEqual(byComparator(values));
  });
});
