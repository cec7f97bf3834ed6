// The scenario the regression tests run on the emulator: a short stream run with one cold
// start, slow enough per token (4 ms real) that a busy machine's noise stays small next to
// it, and long enough (44 requests, 42 of them warm) for an interval of every default
// metric (a p95 needs 40 values). SLOWER makes every decode step 5x longer: a change no
// noise can hide or fake. It changes the emulator, which is what the run measures, so
// comparing it with the baseline takes --allow-scenario-change (ALLOW).
export const CHECK_SCENARIO = `name: ci-check
mode: stream
sampling_params: { max_tokens: 24, temperature: 0.5 }
input: { synthetic: { promptTokens: 40 } }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 2, requests: 44 }
emulator:
  timeScale: 10
  network: { roundTrip: 0 }
  workers: { min: 0, max: 1, coldStart: { median: 2s, sigma: 0 } }
  generation: { stepMs: 40, eosProbability: 0, jitter: 0 }
  # 5 ms polls would pass Runpod's /stream limit (podbench warns); this test is not about it.
  rateLimits: { enabled: false }
`;

export const SLOWER = ['--set', 'emulator.generation.stepMs=200'];
export const ALLOW = '--allow-scenario-change';

/** Metrics a 5x slower decode must make worse. */
export const SLOWED_METRICS = [
  'warm.e2eMs.p50',
  'warm.e2eMs.p95',
  'warm.tpotMs.p50',
  'outputTokensPerSec',
  'requestsPerSec',
];
