// The endpoint on a simulated clock: the emulator's own step, prefill, cold-start and
// idle-timeout arithmetic, exactly, with no real time involved.
import { describe, expect, it } from 'vitest';
import { simulateEndpoint } from '../../src/emulator/index.js';
import type { SimRequest } from '../../src/core/simulation.js';

const exact = {
  generation: { stepMs: 20, stepMsPerSequence: 2, prefillMsPerToken: 0.5, jitter: 0, eosProbability: 0 },
  workers: { min: 0, max: 2, concurrency: 4, coldStart: 1000, idleTimeout: 3000 },
};

function request(atMs: number, promptTokens: number, maxTokens: number): SimRequest {
  return { atMs, promptTokens, maxTokens, ignoreEos: true };
}

describe('simulateEndpoint', () => {
  it('one request on a cold endpoint: boot, prefill in the first step, one step per token', () => {
    const result = simulateEndpoint(exact, { kind: 'open', requests: [request(100, 40, 10)] });
    const [job] = result.jobs;
    expect(job).toBeDefined();
    if (!job) return;
    expect(job.status).toBe('COMPLETED');
    expect(job.coldStart).toBe(true);
    expect(job.startedMs).toBeCloseTo(1100, 9);
    expect((job.firstTokenMs as number) - (job.startedMs as number)).toBeCloseTo(20 + 0.5 * 40, 9);
    expect((job.completedMs as number) - (job.startedMs as number)).toBeCloseTo(10 * 20 + 0.5 * 40, 9);
    expect(job.outputTokens).toBe(10);
    // Billed: the boot, the job and the idle timeout after it, on one flex worker.
    expect(result.billing.boots).toBe(1);
    expect(result.billing.flexBootMs).toBeCloseTo(1000, 9);
    expect(result.billing.flexWorkerMs).toBeCloseTo(1000 + 220 + 3000, 9);
    expect(result.windowMs).toBeCloseTo(1100 + 220, 9);
    expect(result.maxLiveWorkers).toBe(1);
  });

  it('two sequences in one batch: each step grows by stepMsPerSequence; a job picked up mid-step joins the next', () => {
    const result = simulateEndpoint(
      { ...exact, workers: { ...exact.workers, min: 1, max: 1 } },
      { kind: 'open', requests: [request(0, 10, 5), request(0, 30, 5)] },
    );
    const [first, second] = result.jobs;
    for (const job of result.jobs) {
      expect(job.coldStart).toBe(false);
      expect(job.startedMs).toBe(0);
    }
    // The first job's step starts alone at once (20 + prefill 5); the second joins the next
    // step with its prefill (22 + 15), then three shared steps, then the second's last one alone.
    expect(first?.completedMs).toBeCloseTo(25 + 37 + 3 * 22, 9);
    expect(second?.completedMs).toBeCloseTo(25 + 37 + 3 * 22 + 20, 9);
    expect(result.billing.activeWorkerMs).toBeCloseTo(result.windowMs, 9);
    expect(result.billing.flexWorkerMs).toBe(0);
  });

  it('a worker at its concurrency queues the next job until a slot frees', () => {
    const result = simulateEndpoint(
      { ...exact, workers: { ...exact.workers, min: 1, max: 1, concurrency: 1 } },
      { kind: 'open', requests: [request(0, 1, 4), request(1, 1, 4)] },
    );
    const [first, second] = result.jobs;
    expect(second?.startedMs).toBeCloseTo(first?.completedMs as number, 9);
  });

  it('closed loop: each user sends again when its request ends, plus the gap', () => {
    const requests = Array.from({ length: 6 }, () => request(0, 8, 3));
    const result = simulateEndpoint(
      { ...exact, workers: { ...exact.workers, min: 2, max: 2 } },
      { kind: 'closed', users: 2, requests, gapMs: 7 },
    );
    expect(result.jobs).toHaveLength(6);
    const ends = result.jobs.map((j) => j.completedMs as number).sort((a, b) => a - b);
    const sends = result.jobs.map((j) => j.submittedMs).sort((a, b) => a - b);
    expect(sends.slice(0, 2)).toEqual([0, 0]);
    for (let i = 2; i < 6; i++) expect(sends[i]).toBeCloseTo((ends[i - 2] as number) + 7, 9);
  });

  it('the same settings and traffic give the same answer (jitter, lengths and boots are seeded)', () => {
    const noisy = {
      seed: 3,
      generation: { stepMs: 20, jitter: 0.2, eosProbability: 0.05 },
      workers: { max: 3, concurrency: 2, coldStart: { median: 2000, sigma: 0.5 } },
    };
    const requests = Array.from({ length: 40 }, (_, i) => ({ atMs: i * 150, promptTokens: 50 + i, maxTokens: 60 }));
    const a = simulateEndpoint(noisy, { kind: 'open', requests });
    const b = simulateEndpoint(noisy, { kind: 'open', requests });
    expect(a).toEqual(b);
    expect(new Set(a.jobs.map((j) => j.outputTokens)).size).toBeGreaterThan(5);
  });
});
