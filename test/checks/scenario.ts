// The scenario the regression tests run on the emulator: a short stream run with one cold
// start, slow enough per token (4 ms real) that a busy machine's noise stays small next to
// it. SLOWER makes every decode step 5x longer: a change no noise can hide or fake.
export const CHECK_SCENARIO = `name: ci-check
mode: stream
sampling_params: { max_tokens: 24, temperature: 0.5 }
input: { synthetic: { promptTokens: 40 } }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 2, requests: 12 }
emulator:
  timeScale: 10
  network: { roundTrip: 0 }
  workers: { min: 0, max: 1, coldStart: { median: 2s, sigma: 0 } }
  generation: { stepMs: 40, eosProbability: 0, jitter: 0 }
  # 5 ms polls would pass Runpod's /stream limit (podbench warns); this test is not about it.
  rateLimits: { enabled: false }
`;

export const SLOWER = ['--set', 'emulator.generation.stepMs=200'];

/** Metrics a 5x slower decode must make worse. */
export const SLOWED_METRICS = [
  'warm.e2eMs.p50',
  'warm.e2eMs.p95',
  'warm.tpotMs.p50',
  'outputTokensPerSec',
  'requestsPerSec',
];
