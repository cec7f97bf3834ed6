// The emulator's defaults for every parameter a calibration fits, as the calibration tests
// build their simulations from them (src/answers/calibrate/*.test.ts).
import type { CalibrationParameter } from '../../src/core/calibration.js';

export const DEFAULTS: Record<CalibrationParameter, number> = {
  'generation.stepMs': 22,
  'generation.stepMsPerSequence': 0.5,
  'generation.prefillMsPerToken': 0.15,
  'generation.jitter': 0.05,
  'generation.eosProbability': 0.01,
  'workers.coldStart.medianMs': 12000,
  'workers.coldStart.sigma': 0.3,
  'workers.flashboot.probability': 0.8,
  'workers.flashboot.medianMs': 1500,
  'workers.flashboot.sigma': 0.4,
  'workers.idleTimeoutMs': 5000,
  'workers.concurrency': 30,
  'overhead.executionMs': 0,
  'overhead.ttftMs': 0,
  'overhead.e2eMs': 0,
  'overhead.dispatchMs': 0,
};
