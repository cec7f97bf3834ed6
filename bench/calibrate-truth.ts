// Known truth for the calibration round trip (issue 21): an emulated endpoint whose model
// differs from the emulator's defaults in every fitted value (seed, step time, batch growth,
// prefill, output length, cold-start distribution, idle timeout, jobs per worker), and a run
// that lets each be seen: probes from zero workers (cold starts, scale-downs) and a closed
// loop ramping past the endpoint's capacity (batching, prefill over varied prompts, queued
// jobs). `podbench calibrate` sees only the run folder and the endpoint's scaler, which is a
// setting a user states (--set), not something a run measures.
//
// Sync mode keeps the client's work per job at one request, so a time-scaled run on a busy
// machine still places each job within a few milliseconds. The test (test/calibrate) runs
// the small size; `npm run bench:calibrate` the large one.
import type { CalibrationParameter } from '../src/core/calibration.js';

export const TRUTH = {
  seed: 7,
  generation: { stepMs: 35, stepMsPerSequence: 2.5, prefillMsPerToken: 0.3, jitter: 0.05, eosProbability: 0.02 },
  workers: {
    min: 0,
    max: 2,
    concurrency: 6,
    idleTimeout: '2s',
    coldStart: { median: '4s', sigma: 0.3 },
    scaler: { type: 'REQUEST_COUNT', value: 6 },
  },
} as const;

/** The values calibrate should find, by parameter. */
export const EXPECTED: Partial<Record<CalibrationParameter, number>> = {
  'generation.stepMs': TRUTH.generation.stepMs,
  'generation.stepMsPerSequence': TRUTH.generation.stepMsPerSequence,
  'generation.prefillMsPerToken': TRUTH.generation.prefillMsPerToken,
  'generation.eosProbability': TRUTH.generation.eosProbability,
  'workers.coldStart.medianMs': 4000,
  'workers.coldStart.sigma': TRUTH.workers.coldStart.sigma,
  'workers.idleTimeoutMs': 2000,
  'workers.concurrency': TRUTH.workers.concurrency,
};

/** What calibrate is told: the endpoint's scaler (a setting, not a measurement). */
export const GIVEN = ['--set', 'workers.scaler.type=REQUEST_COUNT', '--set', 'workers.scaler.value=6'];

export interface RunSize {
  /** Probes from zero workers: one cold start and one scale-down each. */
  probes: number;
  /** Real seconds of the closed loop ramping from 1 to 16 users. */
  rampSeconds: number;
  timeScale: number;
}

export const SMALL: RunSize = { probes: 20, rampSeconds: 6, timeScale: 10 };
export const LARGE: RunSize = { probes: 200, rampSeconds: 40, timeScale: 10 };

export function roundTripScenario(size: RunSize): string {
  const t = TRUTH;
  return `name: calibrate-truth
mode: sync
input:
  format: prompt
  synthetic: { promptTokens: 500, spread: 0.9 }
sampling_params: { max_tokens: 120 }
polling: { health: 20ms }
matrix:
  load:
    probes: { probes: ${size.probes}, untilIdle: true }
    ramp: { concurrency: 1, stages: [{ duration: ${size.rampSeconds}s, concurrency: 16 }] }
emulator:
  seed: ${t.seed}
  timeScale: ${size.timeScale}
  rateLimits: { enabled: false }
  generation: ${JSON.stringify(t.generation)}
  workers:
    min: ${t.workers.min}
    max: ${t.workers.max}
    concurrency: ${t.workers.concurrency}
    idleTimeout: ${t.workers.idleTimeout}
    coldStart: ${JSON.stringify(t.workers.coldStart)}
    scaler: ${JSON.stringify(t.workers.scaler)}
seed: 3
`;
}

/** The what-if question of the brute-force check: steady Poisson traffic and one SLO. */
export const WHAT_IF = {
  /** Model time: 3 requests/s for 120 s. */
  scenario: `name: traffic
mode: sync
input:
  format: prompt
  synthetic: { promptTokens: 500, spread: 0.9 }
sampling_params: { max_tokens: 120 }
load: { rate: 3, arrival: poisson, duration: 120s }
`,
  slo: 'e2eMs.p95 < 6.5s',
  search: ['workers.min=0..2', 'workers.max=1..3', 'workers.idleTimeout=2s,30s'],
  seeds: 3,
} as const;

/** The same traffic, time-scaled for a real run of the emulator with the true settings. */
export function confirmScenario(settings: Record<string, unknown>, timeScale: number): string {
  const t = TRUTH;
  const workers = { ...t.workers, ...settings };
  return `name: confirm
mode: sync
input:
  format: prompt
  synthetic: { promptTokens: 500, spread: 0.9 }
sampling_params: { max_tokens: 120 }
load: { rate: ${3 * timeScale}, arrival: poisson, duration: ${120 / timeScale}s }
polling: { health: 50ms }
emulator:
  seed: ${t.seed + 100}
  timeScale: ${timeScale}
  rateLimits: { enabled: false }
  generation: ${JSON.stringify(t.generation)}
  workers: ${JSON.stringify(workers)}
seed: 11
`;
}
