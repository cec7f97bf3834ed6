// The cold-start rule for a variant (see src/metrics/cold-start.ts): the scenario's own
// numbers when given; for the embedded emulator, numbers derived from its settings (in real
// milliseconds, so time-scaled runs classify correctly); otherwise Runpod-like defaults.
import type { DurationDist } from '../util/schema.js';
import { DEFAULT_COLD_START_RULE, type ColdStartRule } from '../core/cold-start-rule.js';
import type { Scenario } from './schema.js';

/** A duration a draw from the distribution rarely falls below. */
function lowerBoundMs(dist: DurationDist): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.ms;
    case 'uniform':
      return dist.minMs;
    case 'lognormal':
      return dist.medianMs * Math.exp(-2.5 * dist.sigma);
    default: {
      const never: never = dist;
      return never;
    }
  }
}

export function coldStartRuleFor(scenario: Scenario, embeddedEmulator: boolean): ColdStartRule {
  const given = scenario.coldStart;
  if (!embeddedEmulator) {
    return {
      thresholdMs: given.thresholdMs ?? DEFAULT_COLD_START_RULE.thresholdMs,
      idleGapMs: given.idleGapMs ?? DEFAULT_COLD_START_RULE.idleGapMs,
    };
  }
  const { workers, timeScale } = scenario.emulator;
  const boots = [lowerBoundMs(workers.coldStart)];
  if (workers.flashboot.enabled) boots.push(lowerBoundMs(workers.flashboot.start));
  // Half the shortest plausible boot: a warm pickup is far below it, a boot far above.
  const thresholdMs = given.thresholdMs ?? Math.max(1, (0.5 * Math.min(...boots)) / timeScale);
  const idleGapMs = given.idleGapMs ?? workers.idleTimeout / timeScale;
  return { thresholdMs, idleGapMs };
}
