// The fit against the emulator's own model on a simulated clock: records made from a
// simulation with known settings (answers/sim-records.ts) must give the settings back.
// No real time anywhere: the same numbers on a busy machine as on an idle one.
import { describe, expect, it } from 'vitest';
import type { CalibrationParameter } from '../../core/calibration.js';
import type { SimRequest } from '../../core/simulation.js';
import { simulateEndpoint } from '../../emulator/index.js';
import { createRng } from '../../util/rng.js';
import { healthFromSim, recordsFromSim } from '../sim-records.js';
import { fitRun, type FitResult } from './fit.js';
import { DEFAULTS } from '../../../test/support/calibration-defaults.js';

const truth = {
  seed: 19,
  generation: { stepMs: 31, stepMsPerSequence: 1.7, prefillMsPerToken: 0.4, jitter: 0.05, eosProbability: 0.02 },
  workers: {
    min: 0,
    max: 3,
    concurrency: 6,
    coldStart: { median: 7000, sigma: 0.3 },
    idleTimeout: 4000,
    scaler: { type: 'REQUEST_COUNT' as const, value: 4 },
  },
};

/** 30 probes from zero workers, then a Poisson ramp from 1 to 12 requests/s over 90 s. */
function traffic(): SimRequest[] {
  const rng = createRng(5);
  const prompt = (): number => Math.round(50 + rng.next() * 900);
  const requests: SimRequest[] = [];
  for (let i = 0; i < 30; i++) requests.push({ atMs: i * 20_000, promptTokens: prompt(), maxTokens: 120 });
  const start = 30 * 20_000;
  let t = start;
  while (t < start + 90_000) {
    t += rng.exponential(1000 / (1 + (11 * (t - start)) / 90_000));
    requests.push({ atMs: t, promptTokens: prompt(), maxTokens: 120 });
  }
  return requests;
}

function fitOf(
  settings: typeof truth,
  overheads = { dispatchMs: 20, executionMs: 0, ttftMs: 35, e2eMs: 60 },
): FitResult {
  const result = simulateEndpoint(settings, { kind: 'open', requests: traffic() });
  return fitRun({
    records: recordsFromSim(result, { variant: 'v', mode: 'stream', overheads }),
    health: healthFromSim(result, 'v', 250),
    timeScale: 1,
    mode: 'stream',
    sampling: { maxTokens: 120, minTokens: 0, ignoreEos: false },
    defaults: DEFAULTS,
    seed: 1,
  });
}

describe('fitRun on a simulated run of known settings', () => {
  const fit = fitOf(truth);
  const value = (p: CalibrationParameter) => fit.parameters.find((v) => v.parameter === p);
  const expected: Array<[CalibrationParameter, number]> = [
    ['generation.stepMs', 31],
    ['generation.stepMsPerSequence', 1.7],
    ['generation.prefillMsPerToken', 0.4],
    ['generation.eosProbability', 0.02],
    ['workers.coldStart.medianMs', 7000],
    ['workers.coldStart.sigma', 0.3],
    ['workers.idleTimeoutMs', 4000],
    ['workers.concurrency', 6],
    ['overhead.dispatchMs', 20],
    ['overhead.ttftMs', 35],
    ['overhead.e2eMs', 60],
  ];
  for (const [parameter, truthValue] of expected) {
    it(`${parameter} within 10%`, () => {
      const v = value(parameter);
      expect(v?.status).toBe('fitted');
      expect(Math.abs((v?.value as number) / truthValue - 1)).toBeLessThan(0.1);
    });
  }

  it('states no gap the run can fill', () => {
    expect(fit.gaps.map((g) => g.kind).sort()).toEqual(['endpoint-settings-given', 'no-flashboot-seen']);
    expect(fit.maxWorkersSeen).toBe(3);
    expect(fit.minWorkersSeen).toBe(0);
  });

  it('sees FlashBoot when revivals are much faster than first boots', () => {
    const flash = fitOf({
      ...truth,
      workers: { ...truth.workers, flashboot: { enabled: true, probability: 0.7, start: { median: 800, sigma: 0.2 } } },
    } as typeof truth);
    const p = flash.parameters.find((v) => v.parameter === 'workers.flashboot.probability');
    const median = flash.parameters.find((v) => v.parameter === 'workers.flashboot.medianMs');
    expect(p?.status).toBe('fitted');
    expect(Math.abs((p?.value as number) - 0.7)).toBeLessThan(0.2);
    expect(Math.abs((median?.value as number) / 800 - 1)).toBeLessThan(0.15);
  });
});

describe('what a run cannot tell', () => {
  it('a run at one concurrency, one prompt length, ignore_eos and no scale-down: gaps, defaults assumed', () => {
    const requests: SimRequest[] = Array.from({ length: 120 }, () => ({
      atMs: 0,
      promptTokens: 200,
      maxTokens: 50,
      ignoreEos: true,
    }));
    const result = simulateEndpoint(
      { generation: { stepMs: 30, jitter: 0.02 }, workers: { min: 2, max: 2, concurrency: 4 } },
      { kind: 'closed', users: 10, requests },
    );
    const fit = fitRun({
      records: recordsFromSim(result, {
        variant: 'v',
        mode: 'sync',
        overheads: { dispatchMs: 0, executionMs: 0, ttftMs: 0, e2eMs: 5 },
      }),
      health: [],
      timeScale: 1,
      mode: 'sync',
      sampling: { maxTokens: 50, minTokens: 0, ignoreEos: true },
      defaults: DEFAULTS,
      seed: 1,
    });
    const kinds = fit.gaps.map((g) => g.kind);
    for (const kind of [
      'no-batch-variation',
      'no-prompt-variation',
      'no-output-variation',
      'eos-unknown',
      'no-cold-starts',
      'no-scale-down',
      'no-stream-timing',
    ] as const)
      expect(kinds).toContain(kind);
    const status = (p: CalibrationParameter) => fit.parameters.find((v) => v.parameter === p)?.status;
    expect(status('generation.stepMs')).toBe('fitted');
    expect(status('workers.coldStart.medianMs')).toBe('assumed');
    expect(status('workers.idleTimeoutMs')).toBe('assumed');
    // Four jobs per worker, ten users: jobs waited for a slot, so the limit is seen.
    expect(fit.parameters.find((v) => v.parameter === 'workers.concurrency')?.value).toBe(4);
    // The step at four sequences holds what the batch added: 30 + 0.5 × 3 (the default growth).
    const step = fit.parameters.find((v) => v.parameter === 'generation.stepMs')?.value as number;
    expect(step).toBeGreaterThan(30);
    expect(step).toBeLessThan(30 + 0.5 * 3 + 1.5 + (200 * 0.15) / 50 + 1);
  });
});
