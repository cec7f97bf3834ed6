import { describe, expect, it } from 'vitest';
import { distribution, IntBuffer, quantile, SampleBuffer, sortedSamples } from './percentiles.js';

describe('quantile (linear interpolation, type 7)', () => {
  it('is undefined without samples', () => {
    expect(quantile([], 0.5)).toBeUndefined();
    expect(distribution([])).toMatchObject({ count: 0, mean: null, p50: null, max: null });
  });

  it('returns the only sample for any p', () => {
    for (const p of [0, 0.5, 0.99, 1]) expect(quantile([42], p)).toBe(42);
  });

  it('interpolates between closest ranks', () => {
    const sorted = [1, 2, 3, 4];
    // h = (n-1)p: p50 → 1.5 → 2.5; p90 → 2.7 → 3.7; p99 → 2.97 → 3.97
    expect(quantile(sorted, 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile(sorted, 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile(sorted, 0.99)).toBeCloseTo(3.97, 12);
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 1)).toBe(4);
  });

  it('sorts numerically, not as strings', () => {
    expect([...sortedSamples([10, 9, 100, 1])]).toEqual([1, 9, 10, 100]);
  });

  it('summarises a distribution without trimming outliers', () => {
    const d = distribution([10, 20, 30, 40, 1000]);
    const expected = { count: 5, mean: 220, min: 10, p50: 30, p90: 616, p95: 808, p99: 961.6, max: 1000 };
    for (const [key, value] of Object.entries(expected)) expect(d[key as keyof typeof d], key).toBeCloseTo(value, 9);
  });

  it('grows its buffer without losing values', () => {
    const buffer = new SampleBuffer();
    for (let i = 0; i < 1000; i++) buffer.push(i);
    expect(buffer.length).toBe(1000);
    expect(buffer.values()[999]).toBe(999);
    expect(distribution(buffer.values()).mean).toBe(499.5);
  });

  it('keeps every request number past the first 64 (IntBuffer grows)', () => {
    const seqs = new IntBuffer();
    for (let i = 0; i < 200; i++) seqs.push(i * 3);
    expect(seqs.length).toBe(200);
    expect(Array.from(seqs.values())).toEqual(Array.from({ length: 200 }, (_, i) => i * 3));
  });
});
