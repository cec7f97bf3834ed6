import { describe, expect, it } from 'vitest';
import { classifyColdStarts, type PickupFacts } from './cold-start.js';

const job = (seq: number, workerId: string, pickupMs: number, delayMs: number, executionMs = 100): PickupFacts => ({
  seq,
  workerId,
  pickupMs,
  delayMs,
  executionMs,
});

describe('classifyColdStarts', () => {
  const rule = { thresholdMs: 1000, idleGapMs: 5000 };

  it('marks the first job of a worker cold only when it waited long', () => {
    const cold = classifyColdStarts([job(1, 'a', 3000, 3000), job(2, 'b', 10, 10)], rule);
    expect([...cold]).toEqual([1]); // b was an active worker: picked up at once
  });

  it('marks a long wait after the worker sat idle past the gap as a new cold start', () => {
    const jobs = [job(1, 'a', 3000, 3000, 100), job(2, 'a', 3200, 5, 100), job(3, 'a', 20_000, 2500, 100)];
    expect([...classifyColdStarts(jobs, rule)].sort()).toEqual([1, 3]);
  });

  it('does not call queueing on a busy worker a cold start', () => {
    // Job 2 waited 4 s in the queue, but worker a was busy until 8000.
    const jobs = [job(1, 'a', 0, 0, 8000), job(2, 'a', 7000, 4000, 100)];
    expect(classifyColdStarts(jobs, rule).size).toBe(0);
  });

  it('counts jobs that queued through the same boot as cold, even those taken once a slot freed', () => {
    // Worker a boots until 4000; jobs 1-2 are taken at once, job 3 (sent at 500) waits for a
    // free slot until 6000; job 4 was sent at 4500, after the boot: only queueing.
    const jobs = [
      job(1, 'a', 4000, 4000, 2000),
      job(2, 'a', 4000.5, 3900, 2000),
      job(3, 'a', 6000, 5500),
      job(4, 'a', 6100, 1600),
      job(5, 'a', 6200, 30),
    ];
    expect([...classifyColdStarts(jobs, rule)].sort()).toEqual([1, 2, 3]);
  });

  it('orders by pickup, whatever order the records came in', () => {
    const jobs = [job(3, 'a', 20_000, 2500), job(1, 'a', 3000, 3000), job(2, 'a', 3200, 5)];
    expect([...classifyColdStarts(jobs, rule)].sort()).toEqual([1, 3]);
  });
});
