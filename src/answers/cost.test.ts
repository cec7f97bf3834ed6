import { describe, expect, it } from 'vitest';
import { billedSeconds, planCapacity } from './cost.js';

const job = (seq: number, workerId: string, pickupMs: number, executionMs: number, delayMs = 0) => ({
  seq,
  workerId,
  pickupMs,
  executionMs,
  delayMs,
});

describe('billedSeconds', () => {
  it('merges overlapping jobs, adds idle tails capped by the next job, and counts each boot once', () => {
    const jobs = [
      job(1, 'a', 10_000, 2000, 10_000), // cold: booted 10 s
      job(2, 'a', 10_000, 3000, 9500), // queued through the same boot
      job(3, 'a', 14_000, 1000), // 1 s after busy ended: idle 1 s, not the 5 s timeout
      job(4, 'b', 0, 500),
    ];
    const billed = billedSeconds(jobs, new Set([1, 2]), 5000);
    // a: busy 10-13 and 14-15 = 4 s; idle 1 s + 5 s; boot 10 s. b: busy 0.5 s, idle 5 s.
    expect(billed).toEqual({ busy: 4.5, idle: 11, coldStart: 10, total: 25.5 });
  });

  it("counts a boot once when the jobs it held were picked up tens of ms apart (each request's network time)", () => {
    // quick.yaml on the emulator: 8 users' first requests wait ~2.8 s for one worker's boot;
    // sentMs + delayTime places each pickup early by its own uplink time.
    const jobs = [
      job(1, 'a', 2834.2, 1200, 2834),
      job(2, 'a', 2851.7, 1100, 2819),
      job(3, 'a', 2822.4, 1300, 2836),
      job(4, 'a', 2840.9, 900, 2821),
      job(5, 'a', 9000, 1000, 2500), // after an idle spell: booted again (a revival)
    ];
    const billed = billedSeconds(jobs, new Set([1, 2, 3, 4, 5]), 5000);
    // The first boot is the delay of the job picked up first (job 3), the second job 5's.
    expect(billed.coldStart).toBeCloseTo(2.836 + 2.5, 9);
  });

  it('keeps workers of different variants apart when each variant had its own endpoint', () => {
    const jobs = [
      { ...job(1, 'a', 0, 1000), variant: 'c=1' },
      { ...job(2, 'a', 2000, 1000), variant: 'c=2' },
    ];
    // One endpoint: worker a idles 1 s between the jobs, then 5 s. Fresh endpoints: two workers, 5 s idle each.
    expect(billedSeconds(jobs, new Set(), 5000)).toEqual({ busy: 2, idle: 6, coldStart: 0, total: 8 });
    expect(billedSeconds(jobs, new Set(), 5000, true)).toEqual({ busy: 2, idle: 10, coldStart: 0, total: 12 });
  });

  it('is zero without jobs', () => {
    expect(billedSeconds([], new Set(), 5000).total).toBe(0);
  });
});

describe('planCapacity', () => {
  it('sizes workers for the target and prices them', () => {
    const plan = planCapacity({
      targetRps: 10,
      perWorkerRps: 3,
      outputTokensPerRequest: 200,
      headroom: 0.25,
      pricePerSecond: 0.0005,
    });
    expect(plan.workersNeeded).toBe(4);
    expect(plan.activeWorkers).toBe(4);
    expect(plan.maxWorkers).toBe(5);
    expect(plan.costPerHour).toBeCloseTo(7.2, 9); // 4 x 3600 x 0.0005
    expect(plan.costPerMillionOutputTokens).toBeCloseTo((7.2 / (10 * 200 * 3600)) * 1e6, 9);
  });

  it('does not round a whole number of workers up', () => {
    expect(planCapacity({ targetRps: 9, perWorkerRps: 3, outputTokensPerRequest: 1, headroom: 0 }).workersNeeded).toBe(
      3,
    );
  });
});
