import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { classifyColdStarts, pickupFacts, type PickupFacts } from './cold-start.js';

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

  it('finds a boot whose first pickup is a job sent just before the worker came up', () => {
    // An open loop from zero (seen in the new-user trial): worker a boots until 3458; job 5,
    // sent at 3105, waited 353 ms and is picked up at the same moment as job 1 (sent at 0,
    // waited 3458 ms) or even before it in the records' order; job 4 waited 831 ms. The jobs
    // that queued through the boot are cold; the short waits are not.
    const jobs = [
      job(5, 'a', 3458, 353, 500),
      job(1, 'a', 3458, 3458, 500),
      job(2, 'a', 3458.2, 2958, 500),
      job(3, 'a', 3458.4, 1958, 500),
      job(4, 'a', 3500, 831, 500),
    ];
    expect([...classifyColdStarts(jobs, rule)].sort()).toEqual([1, 2, 3]);
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

  it('orders by pickup before deciding which job found its worker fresh', () => {
    // Worker a boots for job 1 (picked up at 3000 after 3 s); jobs 2 and 3 follow at once.
    // Read in reverse, job 3 would look like the fresh worker's first job, and no boot.
    const jobs = [job(3, 'a', 3300, 10), job(2, 'a', 3200, 5), job(1, 'a', 3000, 3000)];
    expect([...classifyColdStarts(jobs, rule)]).toEqual([1]);
  });

  it('does not call a job sent exactly when the boot ended cold: it only queued', () => {
    // Boot ends at 4000 (job 1's pickup). Job 2 is sent at 4000 and waits 1500 ms behind job 1.
    const jobs = [job(1, 'a', 4000, 4000, 2000), job(2, 'a', 5500, 1500)];
    expect([...classifyColdStarts(jobs, rule)]).toEqual([1]);
  });

  it('does not call a short wait cold, even when sent during the boot', () => {
    // Job 2 sent at 3500, while a booted (until 4000), waited 600 ms: under the 1000 ms threshold.
    const jobs = [job(1, 'a', 4000, 4000, 100), job(2, 'a', 4100, 600)];
    expect([...classifyColdStarts(jobs, rule)]).toEqual([1]);
  });
});

describe('pickupFacts', () => {
  it('estimates pickup as sent + delayTime; executionTime 0 when unknown', () => {
    expect(pickupFacts(makeRecord({ seq: 4, sentMs: 100, delayMs: 250, workerId: 'w' }))).toEqual({
      seq: 4,
      workerId: 'w',
      pickupMs: 350,
      delayMs: 250,
      executionMs: 0,
    });
  });

  it('has nothing without a worker, a delayTime or a send time', () => {
    expect(pickupFacts(makeRecord({ sentMs: 100, delayMs: 250 }))).toBeUndefined();
    expect(pickupFacts(makeRecord({ sentMs: 100, workerId: 'w' }))).toBeUndefined();
    expect(pickupFacts(makeRecord({ sentMs: undefined, delayMs: 250, workerId: 'w' }))).toBeUndefined();
  });
});
