// The cold-start rule a variant is classified by (src/metrics/cold-start.ts): the scenario's
// numbers, else half the shortest plausible boot of the embedded emulator in real
// milliseconds, else Runpod-like defaults. Expected numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import { coldStartRuleFor } from './cold-rule.js';
import { parseScenario } from './load.js';

const BASE = 'name: t\nmode: sync\nload: { concurrency: 2, requests: 4 }\n';
const scenarioOf = (yaml: string) => parseScenario(`${BASE}${yaml}`, 't.yaml').variants[0]!.scenario;

describe('coldStartRuleFor', () => {
  it("takes 1 s and 5 s for an endpoint that is not the embedded emulator, whatever the emulator's settings", () => {
    const scenario = scenarioOf('emulator: { workers: { coldStart: 40s, idleTimeout: 60s } }\n');
    expect(coldStartRuleFor(scenario, false)).toEqual({ thresholdMs: 1000, idleGapMs: 5000 });
  });

  it("keeps the scenario's own numbers, on any endpoint", () => {
    const scenario = scenarioOf('coldStart: { thresholdMs: 2500, idleGapMs: 700 }\n');
    expect(coldStartRuleFor(scenario, false)).toEqual({ thresholdMs: 2500, idleGapMs: 700 });
    expect(coldStartRuleFor(scenario, true)).toEqual({ thresholdMs: 2500, idleGapMs: 700 });
    // One given, the other derived or defaulted.
    const half = scenarioOf('coldStart: { thresholdMs: 2500 }\nemulator: { workers: { idleTimeout: 9s } }\n');
    expect(coldStartRuleFor(half, false)).toEqual({ thresholdMs: 2500, idleGapMs: 5000 });
    expect(coldStartRuleFor(half, true)).toEqual({ thresholdMs: 2500, idleGapMs: 9000 });
  });

  it("halves the emulator's shortest plausible boot: a fixed one, a range's minimum, a lognormal's median·e^(−2.5σ)", () => {
    const rule = (coldStart: string) =>
      coldStartRuleFor(scenarioOf(`emulator: { workers: { coldStart: ${coldStart}, idleTimeout: 6s } }\n`), true);
    expect(rule('12s')).toEqual({ thresholdMs: 6000, idleGapMs: 6000 });
    expect(rule('{ min: 5s, max: 20s }')).toEqual({ thresholdMs: 2500, idleGapMs: 6000 });
    // 0.5 × 4000 × e^(−0.625) = 1070.5...
    expect(rule('{ median: 4s, sigma: 0.25 }').thresholdMs).toBeCloseTo(2000 * Math.exp(-0.625), 9);
    // Never below 1 ms: a 0 s cold start would make every pickup cold.
    expect(rule('0s').thresholdMs).toBe(1);
  });

  it('counts a FlashBoot revival as a boot when FlashBoot is on, and only then', () => {
    const flash = (enabled: boolean) =>
      coldStartRuleFor(
        scenarioOf(`emulator: { workers: { coldStart: 10s, flashboot: { enabled: ${enabled}, start: 2s } } }\n`),
        true,
      ).thresholdMs;
    expect(flash(true)).toBe(1000);
    expect(flash(false)).toBe(5000);
  });

  it("is in real milliseconds when the emulator's time runs faster", () => {
    const scenario = scenarioOf('emulator: { timeScale: 10, workers: { coldStart: 12s, idleTimeout: 5s } }\n');
    expect(coldStartRuleFor(scenario, true)).toEqual({ thresholdMs: 600, idleGapMs: 500 });
  });
});
