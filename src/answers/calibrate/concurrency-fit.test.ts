// Jobs per worker from who waited for what. The jobs below are a real run of quick.yaml on
// the emulator (its workers hold 30 jobs; a closed loop of 8 from zero workers): the 8 first
// requests waited about 2.8 s for the boot, and the booted worker took them over some 16 ms,
// each pickup (sentMs + delayTime) seeing only the few taken before it. That is no wait for
// a slot: it once voted a limit of 1. No worker was ever full, so the run gives a bound.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JobObs } from './observations.js';
import { clockNoiseMs, fitConcurrency } from './concurrency-fit.js';
import { workerHistory } from './worker-history.js';

/** [sentMs, delayMs, executionMs] of each request, in order. */
const QUICK_RUN: Array<[number, number, number]> = [
  [523.3, 2844, 2064],
  [531.9, 2821, 2081],
  [532.5, 2819, 2081],
  [532.8, 2819, 2081],
  [532.9, 2821, 1213],
  [535.5, 2818, 2081],
  [536.1, 2819, 674],
  [546.5, 2818, 1708],
  [4164.2, 0, 1126],
  [4770.0, 0, 1992],
  [5273.8, 0, 1953],
  [5482.5, 0, 1111],
  [5543.6, 0, 2002],
  [5561.4, 0, 268],
  [5606.2, 0, 1963],
  [5640.7, 0, 1958],
  [5664.9, 0, 1932],
  [6022.9, 0, 1033],
  [6818.1, 0, 1396],
  [6889.2, 0, 887],
  [7151.9, 0, 1753],
  [7419.0, 0, 201],
  [7659.5, 0, 2204],
  [7753.7, 0, 1536],
  [7755.8, 0, 379],
  [7765.2, 0, 2127],
  [7816.7, 0, 336],
  [7907.9, 0, 625],
  [8316.5, 0, 1916],
  [8345.8, 0, 2033],
  [8380.0, 0, 2009],
  [8630.3, 0, 668],
  [9040, 0, 1900],
  [9410.6, 0, 2126],
  [9560.5, 0, 385],
  [9990.5, 0, 1121],
  [10110.3, 0, 365],
  [10126.8, 0, 2091],
  [10402.6, 0, 1769],
  [10536.3, 0, 1762],
  [10539.8, 0, 1222],
  [10664.1, 0, 1988],
  [11126.3, 0, 179],
  [11289.5, 0, 1809],
  [11399.8, 0, 1759],
  [11668.8, 0, 980],
  [11975.8, 0, 1641],
  [12294.1, 0, 1527],
];

function jobs(rows: Array<[number, number, number]>): JobObs[] {
  return rows.map(([sentMs, delayMs, executionMs], seq) => ({
    seq,
    variant: 'v',
    worker: 'v\u0000w1',
    workerId: 'w1',
    ok: true,
    sentMs,
    pickupMs: sentMs + delayMs,
    endMs: sentMs + delayMs + executionMs,
    delayMs,
    executionMs,
    promptTokens: 256,
    outputTokens: 64,
    ttftMs: undefined,
    e2eMs: delayMs + executionMs + 100,
  }));
}

describe('fitConcurrency', () => {
  it('takes no wait for a boot as a wait for a slot: a worker never full gives a bound, not a limit of 1', () => {
    const fit = fitConcurrency(workerHistory(jobs(QUICK_RUN)), 1);
    expect(fit.reached).toBe(false);
    expect(fit.queued).toBe(0);
    // The most jobs the worker held at once: the 8 users' requests.
    expect(fit.maxInFlight).toBe(8);
  });

  it("reads capacity.yaml's worker, which holds 4, as 4: the network places each pickup early by its own uplink time", () => {
    // A real run (test/fixtures/calibrate): the sweep's steps of 5, 6 and 8 in flight queued
    // jobs on a worker holding 4. sentMs + delayTime places each pickup early by that
    // request's uplink time (delayTime counts from the arrival), drawn per request from the
    // emulator's 40 ms round trip: the job a newcomer replaced can look still in flight.
    const fixture = JSON.parse(
      readFileSync(new URL('../../../test/fixtures/calibrate/capacity-sweep.json', import.meta.url), 'utf8'),
    ) as { rows: Array<[string, number, number, number, number, number]> };
    const rows: JobObs[] = fixture.rows.map(([variant, ok, sentMs, delayMs, executionMs, e2eMs], seq) => ({
      ...jobs([[sentMs, delayMs, executionMs]])[0]!,
      seq,
      variant,
      worker: `${variant}\u0000w1`,
      ok: ok === 1,
      e2eMs,
    }));
    const history = workerHistory(rows);
    const fit = fitConcurrency(history, 1);
    expect({ maxInFlight: fit.maxInFlight, reached: fit.reached }).toEqual({ maxInFlight: 4, reached: true });
    expect(fit.queued).toBeGreaterThan(20);
    // The network's spread, from the requests' own overheads: more than the old fixed 5 ms...
    expect(clockNoiseMs(rows)).toBeGreaterThan(10);
    // ...which read the worker as holding "at least 5".
    const fixed = fitConcurrency(history, 1, 1, 5);
    expect({ maxInFlight: fixed.maxInFlight, reached: fixed.reached }).toEqual({ maxInFlight: 5, reached: false });
  });
});
