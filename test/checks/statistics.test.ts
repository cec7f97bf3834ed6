// Student t quantiles, the repeat estimate and Welch's interval, against published values
// and hand computations.
import { describe, expect, it } from 'vitest';
import { differenceInterval, estimate, hasInterval } from '../../src/checks/confidence.js';
import { studentTCdf, studentTQuantile } from '../../src/checks/student-t.js';

describe('Student t', () => {
  it('matches the two-sided 95% table values', () => {
    const table: Array<[number, number]> = [
      [1, 12.7062],
      [2, 4.3027],
      [3, 3.1824],
      [4, 2.7764],
      [9, 2.2622],
      [29, 2.0452],
      [120, 1.9799],
      [1e7, 1.96],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df), `df ${df}`).toBeCloseTo(t, 3);
  });

  it('handles fractional degrees of freedom between the integers', () => {
    const t = studentTQuantile(0.975, 4.5);
    expect(t).toBeLessThan(studentTQuantile(0.975, 4));
    expect(t).toBeGreaterThan(studentTQuantile(0.975, 5));
  });

  it('has a CDF symmetric around 0', () => {
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-2, 7) + studentTCdf(2, 7)).toBeCloseTo(1, 12);
  });

  it('rejects arguments outside its domain', () => {
    expect(() => studentTQuantile(0.3, 4)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
  });
});

describe('estimate over repeated runs', () => {
  it('gives the mean and a t interval: values 10, 12, 14', () => {
    // mean 12, s = 2, half-width = t(0.975, 2) * 2 / sqrt(3) = 4.3027 * 1.1547 = 4.968
    const e = estimate([10, 12, 14])!;
    expect(e.mean).toBe(12);
    expect(e.sd).toBeCloseTo(2, 12);
    expect(e.ci![0]).toBeCloseTo(12 - 4.9683, 3);
    expect(e.ci![1]).toBeCloseTo(12 + 4.9683, 3);
    expect(hasInterval(e)).toBe(true);
  });

  it('has no interval for a single run, and nothing for none', () => {
    expect(estimate([7])).toEqual({ n: 1, mean: 7, values: [7] });
    expect(hasInterval(estimate([7])!)).toBe(false);
    expect(estimate([])).toBeUndefined();
  });

  it("Welch's interval of the difference, by hand", () => {
    // b: mean 10, s 1, n 3; c: mean 13, s 2, n 4. se^2 = 1/3 + 4/4 = 1.3333
    // df = 1.3333^2 / ((1/3)^2/2 + 1^2/3) = 1.7778 / 0.38889 = 4.5714
    const b = { n: 3, mean: 10, sd: 1, values: [] };
    const c = { n: 4, mean: 13, sd: 2, values: [] };
    const half = studentTQuantile(0.975, 1.7777777777777777 / 0.3888888888888889) * Math.sqrt(4 / 3);
    const [lo, hi] = differenceInterval(b, c);
    expect(lo).toBeCloseTo(3 - half, 9);
    expect(hi).toBeCloseTo(3 + half, 9);
  });

  it('collapses to the difference when neither side varies', () => {
    expect(differenceInterval({ n: 3, mean: 5, sd: 0, values: [] }, { n: 3, mean: 6, sd: 0, values: [] })).toEqual([
      1, 1,
    ]);
  });
});
