// autocannon and k6 against the embedded emulator: load-plan semantics (warmup, request and
// duration stops, rate caps), failures as records, and what each engine does that the
// native engine does differently (no retries and no /status follow-up on autocannon).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/record.js';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import { readMeta } from '../support/run-files.js';
import { median, requireK6, runEngine, skipWithoutK6 } from './support.js';

const EMULATOR = `emulator:
  timeScale: 20
  network: { roundTrip: 0 }
  workers: { min: 4, max: 4 }
  generation: { jitter: 0 }
  rateLimits: { enabled: false }
`;

function scenario(mode: string, load: string, extra = ''): string {
  return `name: engine-runs
mode: ${mode}
sampling_params: { max_tokens: 8 }
polling: { interval: 10ms, health: 0 }
retry: { baseDelay: 5ms, maxDelay: 20ms }
load: ${load}
${EMULATOR}${extra}`;
}

/** The event-loop monitor's period (src/util/loop-delay.ts): a stall is seen to within one period. */
const LOOP_RESOLUTION_MS = 5;
/** Node's timers keep whole milliseconds: one may fire up to 1 ms early or late against performance.now(). */
const TIMER_SLACK_MS = 1;

/** The worst delay of podbench's own event loop over the run's (one) variant, from run.json. */
function loopLateMs(out: string): number {
  const late = readMeta(out).variants[0]?.clientLoopDelayMs?.max;
  expect(late).toBeGreaterThanOrEqual(0);
  return late as number;
}

function count(records: RequestRecord[], phase: string, outcome?: string): number {
  return records.filter((r) => r.phase === phase && (outcome === undefined || r.outcome === outcome)).length;
}

describe('autocannon engine', () => {
  it('duration stop with a warmup count: the warmup first, then measuring for the duration, requests in flight finish', async () => {
    const { out, records } = await runEngine(
      'autocannon',
      scenario('sync', '{ concurrency: 3, duration: 1s, warmup: 5 }'),
    );
    expect(count(records, 'warmup')).toBe(5);
    expect(count(records, 'measure')).toBeGreaterThan(5);
    for (const r of records) expect(r.outcome, r.error).toBe('ok');
    const measured = records.filter((r) => r.phase === 'measure');
    const start = Math.min(...measured.map((r) => r.sentMs as number));
    // Nothing is sent after the stop timer fires: it is set for 1 s after the measured phase
    // began (no later than its first send) and fires late by no more than podbench's own
    // event loop was (run.json), within the monitor's period.
    const lateMs = loopLateMs(out);
    for (const r of measured)
      expect((r.sentMs as number) - start).toBeLessThanOrEqual(1000 + lateMs + LOOP_RESOLUTION_MS + TIMER_SLACK_MS);
    // scheduledMs = sentMs: autocannon has no schedule of its own.
    for (const r of records) expect(r.scheduledMs).toBe(r.sentMs);
  });

  it('rate-capped: at most the rate per second over maxInFlight connections', async () => {
    const { out, records } = await runEngine(
      'autocannon',
      scenario('openai', '{ rate: 20, maxInFlight: 4, duration: 2s }'),
    );
    const measured = records.filter((r) => r.phase === 'measure');
    // Uncapped, 4 connections would send hundreds. autocannon gives each connection 5 a
    // second, refilled by a 1 s interval that cannot fire early, from its start (after the
    // measured phase began); the stop timer fires at most 2 s + podbench's event-loop delay
    // after that. So at most 20 x (1 + the refills that fit): 60 unless the machine stalled.
    const stopByMs = 2000 + loopLateMs(out) + LOOP_RESOLUTION_MS + TIMER_SLACK_MS;
    expect(measured.length).toBeGreaterThan(0);
    expect(measured.length).toBeLessThanOrEqual(20 * (1 + Math.floor((stopByMs + TIMER_SLACK_MS) / 1000)));
    for (const r of measured) expect(r.outcome, r.error).toBe('ok');
    expect(measured[0]).toMatchObject({ workerFormat: 'openai', tokenSource: 'usage' });
  });

  it('a 429 is a record with its status, never retried', async () => {
    const { records } = await runEngine(
      'autocannon',
      scenario('sync', '{ concurrency: 2, requests: 40 }', '  faults: { http429: 0.3 }\n'),
    );
    expect(records).toHaveLength(40);
    const limited = records.filter((r) => r.outcome === 'http_error');
    expect(limited.length).toBeGreaterThan(0);
    for (const r of limited)
      expect(r).toMatchObject({ httpStatus: 429, retries: 0, error: expect.stringMatching(/^HTTP 429/) });
    expect(records.some((r) => r.outcome === 'ok')).toBe(true);
  });

  describe("a job longer than /runsync's wait", () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulatorInWorker(
        {
          workers: { min: 1, max: 1 },
          generation: { jitter: 0, stepMs: 200, eosProbability: 0 },
          rateLimits: { enabled: false },
        },
        { apiKey: 'k' },
      );
    });
    afterAll(() => emulator.close());

    it('is recorded as client_timeout with the reason, and cancelled', async () => {
      const { records } = await runEngine(
        'autocannon',
        `name: long
target: { endpoint: ${emulator.endpointUrl} }
mode: sync
sampling_params: { max_tokens: 16 }
polling: { runsyncWait: 1s, health: 0 }
load: { concurrency: 1, requests: 1 }
`,
        { RUNPOD_API_KEY: 'k' },
      );
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        outcome: 'client_timeout',
        error: expect.stringMatching(/does not follow jobs with \/status/),
      });
      expect((await emulator.jobTruth(records[0]?.jobId as string))?.status).toBe('CANCELLED');
    });
  });
});

describe.skipIf(skipWithoutK6)('k6 engine', () => {
  it('open loop: exactly the requests asked for', async () => {
    requireK6();
    const { records } = await runEngine('k6', scenario('sync', '{ rate: 20, requests: 20, warmup: 5 }'));
    expect(count(records, 'warmup', 'ok')).toBe(5);
    expect(count(records, 'measure', 'ok')).toBe(20);
    // The spacing is k6's (constant-arrival-rate, rate 20 per 1s: test/engines/k6-plan.test.ts).
    // Seen from here it is a wall-clock figure a busy machine bends (k6 starts overdue arrivals
    // at once after a stall), so it is printed, not asserted.
    const sent = records.map((r) => r.sentMs as number).sort((a, b) => a - b);
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] as number));
    console.log(`k6 open loop at 20/s: median gap ${median(gaps).toFixed(1)} ms`);
  });

  it('closed loop for a duration after a warmup duration; no request cut short', async () => {
    requireK6();
    const { records } = await runEngine('k6', scenario('async', '{ concurrency: 3, duration: 1s, warmup: 500ms }'));
    expect(count(records, 'warmup')).toBeGreaterThan(0);
    expect(count(records, 'measure')).toBeGreaterThan(0);
    for (const r of records) expect(r.outcome, r.error).toBe('ok');
    for (const r of records) expect(r.polls).toBeGreaterThan(0);
    // A k6 start and 1.5 s of load took over 30 s on a 2-core machine at load average 20.
  }, 90_000);

  it('retries 429s with backoff and counts them; failed jobs keep their error', async () => {
    requireK6();
    // Ten retries: a request failing 11 times in a row at 30 % is too rare to flake.
    const limited = await runEngine(
      'k6',
      scenario('sync', '{ concurrency: 2, requests: 30 }', '  faults: { http429: 0.3 }\n').replace(
        'retry: { ',
        'retry: { maxRetries: 10, ',
      ),
    );
    for (const r of limited.records) expect(r.outcome, r.error).toBe('ok');
    expect(limited.records.some((r) => r.retries > 0)).toBe(true);

    const failing = await runEngine(
      'k6',
      scenario('stream', '{ concurrency: 2, requests: 20 }', '  faults: { failed: 0.5 }\n'),
    );
    const failed = failing.records.filter((r) => r.outcome === 'job_failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(r.error).toBeTruthy();
    expect(failing.records.some((r) => r.outcome === 'ok')).toBe(true);
    // Two k6 runs in this process, each about 13 s under vitest on a busy 2-core machine.
  }, 90_000);
});
