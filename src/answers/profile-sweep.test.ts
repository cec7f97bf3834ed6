import { describe, expect, it } from 'vitest';
import { profileSweepProblem, profileSweepRates } from './profile-sweep.js';

describe("GuideLLM's sweep rates", () => {
  it('spaces sweepSize - 2 rates evenly after the synchronous rate, up to the throughput rate', () => {
    // GuideLLM: linspace(5, 20, 9)[1:] for --rate 10.
    expect(profileSweepRates(5, 20, 10)).toEqual([6.875, 8.75, 10.625, 12.5, 14.375, 16.25, 18.125, 20]);
    expect(profileSweepRates(2, 8, 5)).toEqual([4, 6, 8]);
    expect(profileSweepRates(3, 12, 3)).toEqual([12]);
  });

  it('runs no constant rate when the sweep holds only the synchronous and throughput runs', () => {
    expect(profileSweepRates(3, 12, 2)).toEqual([]);
  });

  it('rounds each rate to 3 decimals, as a rate sweep does', () => {
    const rates = profileSweepRates(1, 2, 5);
    expect(rates).toEqual([1.333, 1.667, 2]);
  });

  it('stops when the throughput run measured nothing', () => {
    expect(profileSweepProblem(3, 0)).toMatch(/the throughput run measured no throughput/);
    expect(profileSweepProblem(0, 4)).toBeUndefined();
    expect(profileSweepProblem(3, 4)).toBeUndefined();
  });
});
