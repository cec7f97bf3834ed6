// The cold-start rule for simulated records: half the shortest plausible boot of these
// settings (a warm pickup waits no time at all in a simulation), and their idle timeout, the
// numbers scenario/cold-rule.ts derives for the embedded emulator.
import type { ColdStartRule } from '../core/cold-start-rule.js';
import type { EmulatorSettings } from '../emulator/index.js';

function lowest(dist: EmulatorSettings['workers']['coldStart']): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.ms;
    case 'uniform':
      return dist.minMs;
    case 'lognormal':
      return dist.medianMs * Math.exp(-2.5 * dist.sigma);
  }
}

export function coldRuleOf(settings: EmulatorSettings): ColdStartRule {
  const boots = [lowest(settings.workers.coldStart)];
  if (settings.workers.flashboot.enabled) boots.push(lowest(settings.workers.flashboot.start));
  return { thresholdMs: Math.max(1, 0.5 * Math.min(...boots)), idleGapMs: settings.workers.idleTimeout };
}
