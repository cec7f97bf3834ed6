// What a calibration must not pass off as a fit: a one-sided bound taken as the value (an
// idle timeout of "at least 2 s" replayed and searched as 2 s), and a replay far off the run
// it replays stated without a word. On a simulated clock: no real time.
import { describe, expect, it } from 'vitest';
import type { Calibration, ReplayCheck } from '../../core/calibration.js';
import type { SimRequest } from '../../core/simulation.js';
import { simulateEndpoint } from '../../emulator/index.js';
import { calibrationCaveats, calibrationText, fittedValueText, replayMisses } from '../../report/calibration-text.js';
import { healthFromSim, recordsFromSim } from '../sim-records.js';
import { fitRun } from './fit.js';
import { replayMissed } from '../../core/replay-bound.js';
import { DEFAULTS } from '../../../test/support/calibration-defaults.js';

describe('a one-sided bound', () => {
  // One worker booted from zero, then a request every 2 s for a minute: the worker takes
  // each warm after a 2 s pause (so the idle timeout is more than that) and never scales
  // down within the run (its timeout is 60 s): the run bounds the timeout from below only.
  const settings = {
    seed: 3,
    generation: { stepMs: 20, stepMsPerSequence: 0, prefillMsPerToken: 0, jitter: 0, eosProbability: 0 },
    workers: { min: 0, max: 1, concurrency: 4, coldStart: { median: 3000, sigma: 0.1 }, idleTimeout: 60_000 },
  };
  const requests: SimRequest[] = Array.from({ length: 30 }, (_, i) => ({
    atMs: i * 2000,
    promptTokens: 100,
    maxTokens: 50,
  }));
  const result = simulateEndpoint(settings, { kind: 'open', requests });
  const fit = fitRun({
    records: recordsFromSim(result, {
      variant: 'v',
      mode: 'stream',
      overheads: { dispatchMs: 0, executionMs: 0, ttftMs: 0, e2eMs: 0 },
    }),
    // /health sampled while the run lasted: the scale-down a minute after it is not seen.
    health: healthFromSim(result, 'v', 250).filter((h) => h.tMs < 62_000),
    timeScale: 1,
    mode: 'stream',
    sampling: { maxTokens: 50, minTokens: 0, ignoreEos: true },
    defaults: DEFAULTS,
    seed: 1,
  });
  const idle = fit.parameters.find((p) => p.parameter === 'workers.idleTimeoutMs');

  it('keeps the documented default as the idle timeout, and the bound beside it', () => {
    expect(idle?.status).toBe('bound');
    expect(idle?.low).toBeGreaterThan(500);
    expect(idle?.low).toBeLessThan(5000);
    expect(idle?.value).toBe(5000);
    expect(idle?.valueFrom).toBe('default');
    expect(fittedValueText(idle as NonNullable<typeof idle>)).toMatch(
      /^5,000 ms, the default: the run shows only that it is at least [\d,]+ ms \(a bound, not a fit\)$/,
    );
  });

  it('has what-if say the default stands in', () => {
    const calibration = { parameters: fit.parameters.map((p) => ({ ...p, setting: 'x' })) } as unknown as Calibration;
    expect(calibrationCaveats(calibration).join('\n')).toMatch(
      /idle timeout 5,000 ms, the default: .*what-if models that default, not a value the run measured\./,
    );
  });
});

describe('a replay far off the run', () => {
  const replay: ReplayCheck = {
    requests: 88,
    rows: [
      { metric: 'ttftMs.p50', measured: 388, replayed: 400, relativeError: 400 / 388 - 1 },
      { metric: 'ttftMs.p95', measured: 669, replayed: 2403, relativeError: 2403 / 669 - 1 },
      { metric: 'e2eMs.p95', measured: 4041, replayed: 3959, relativeError: 3959 / 4041 - 1 },
      { metric: 'delayMs.p95', measured: 0, replayed: 1790, relativeError: null },
      { metric: 'outputTokensPerSec', measured: 288.8, replayed: 200, relativeError: 200 / 288.8 - 1 },
    ],
  };

  it('counts a figure off by more than 25% (and, for a latency, 50 ms) as missed', () => {
    expect(replay.rows.map(replayMissed)).toEqual([false, true, false, true, true]);
    // A few ms on a figure near zero is no miss.
    expect(replayMissed({ metric: 'delayMs.p95', measured: 2, replayed: 30, relativeError: 14 })).toBe(false);
  });

  it('warns for each missed figure, naming it and what it means for what-if', () => {
    const misses = replayMisses(replay);
    expect(misses).toHaveLength(3);
    expect(misses[0]).toBe(
      'the replay misses the measured TTFT p95 by +259.2% (beyond ±25%): the fitted model does not reproduce this run there, so what-if answers from this calibration are not to be trusted for TTFT p95.',
    );
    expect(misses[1]).toMatch(
      /^the replay misses the measured delay p95 \(1,790 ms replayed against 0 ms measured, beyond 50 ms\): .* not to be trusted for delay p95\.$/,
    );
    expect(misses[2]).toMatch(/^the replay misses the measured output tokens\/s by −30\.7% \(beyond ±25%\)/);
  });

  it('puts the warnings under the replay in calibrate output', () => {
    const calibration = {
      source: { runId: 'r', timeScale: 1 },
      traffic: { requests: 88 },
      parameters: [],
      downweighted: 0,
      gaps: [],
      replay,
    } as unknown as Calibration;
    expect(calibrationText(calibration)).toMatch(
      /output tokens\/s .*\n\nwarning: the replay misses the measured TTFT p95/,
    );
  });
});
