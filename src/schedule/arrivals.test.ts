import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.js';
import { arrivalTimes } from './arrivals.js';

const take = (gen: Generator<number>, n: number) => {
  const out: number[] = [];
  for (const t of gen) {
    out.push(t);
    if (out.length === n) break;
  }
  return out;
};

describe('arrivalTimes', () => {
  it('spaces constant arrivals evenly from time 0', () => {
    expect(take(arrivalTimes([{ atMs: 0, level: 10 }], 'constant', createRng(1)), 4)).toEqual([0, 100, 200, 300]);
  });

  it('stops at endMs', () => {
    expect([...arrivalTimes([{ atMs: 0, level: 4 }], 'constant', createRng(1), 1000)]).toEqual([0, 250, 500, 750]);
  });

  it('inverts a linear ramp exactly: 0 → 10 req/s over 1 s gives Λ(t) = 5t²', () => {
    const profile = [
      { atMs: 0, level: 0 },
      { atMs: 1000, level: 10 },
    ];
    const times = [...arrivalTimes(profile, 'constant', createRng(1), 990)];
    // k-th arrival at t = sqrt(k / 5) s: k = 0..4 fall before 990 ms (k = 5 is at 1000)
    expect(times).toHaveLength(5);
    for (const [k, t] of times.entries()) expect(t).toBeCloseTo(Math.sqrt(k / 5) * 1000, 6);
  });

  it('continues at the last level after the final stage', () => {
    const profile = [
      { atMs: 0, level: 10 },
      { atMs: 500, level: 10 },
    ];
    expect(take(arrivalTimes(profile, 'constant', createRng(1)), 8).at(-1)).toBeCloseTo(700, 9);
  });

  it('never yields when the rate stays zero', () => {
    expect([...arrivalTimes([{ atMs: 0, level: 0 }], 'constant', createRng(1))]).toEqual([]);
  });

  it('gives Poisson arrivals the requested mean rate and exponential gaps', () => {
    const times = [...arrivalTimes([{ atMs: 0, level: 50 }], 'poisson', createRng(7), 200_000)];
    // 50/s for 200 s: 10,000 expected, sd 100
    expect(Math.abs(times.length - 10_000)).toBeLessThan(400);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(20, 0);
    expect(sd / mean).toBeGreaterThan(0.9); // exponential: coefficient of variation 1
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('is reproducible from the seed', () => {
    const a = take(arrivalTimes([{ atMs: 0, level: 5 }], 'poisson', createRng(3)), 20);
    const b = take(arrivalTimes([{ atMs: 0, level: 5 }], 'poisson', createRng(3)), 20);
    expect(a).toEqual(b);
  });

  it('inverts a flat segment and then a ramp that starts above 0', () => {
    // 10 req/s for 1 s, then 10 → 20 req/s over the next second. On the flat part Λ(t) =
    // 0.01·t (t in ms): arrivals every 100 ms up to 1000. On the ramp, with x = t − 1000,
    // Λ = 10 + 0.01·x + 0.000005·x², so the 12th arrival (Λ = 11) solves
    // 0.000005·x² + 0.01·x − 1 = 0: x = (−0.01 + √0.00012) / 0.00001 ≈ 95.445, and the
    // 13th (Λ = 12): x = (−0.01 + √0.00014) / 0.00001 ≈ 183.216.
    const profile = [
      { atMs: 0, level: 10 },
      { atMs: 1000, level: 10 },
      { atMs: 2000, level: 20 },
    ];
    const times = take(arrivalTimes(profile, 'constant', createRng(1)), 13);
    expect(times.slice(0, 11)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(times[11]).toBeCloseTo(1000 + (-0.01 + Math.sqrt(0.00012)) / 0.00001, 6);
    expect(times[12]).toBeCloseTo(1000 + (-0.01 + Math.sqrt(0.00014)) / 0.00001, 6);
  });

  it('has no Poisson arrival at exactly time 0', () => {
    const [first] = take(arrivalTimes([{ atMs: 0, level: 10 }], 'poisson', createRng(7)), 1);
    expect(first).toBeGreaterThan(0);
  });
});
