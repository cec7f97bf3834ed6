// Which worker generation reads the job input: settings.worker picks the parser.
import type { EmulatorSettings } from './settings.js';
import type { JobPlan } from './generation-plan.js';
import { planLegacyJob } from './legacy-input.js';
import { planProxyJob } from './proxy-input.js';

export function planJob(input: Record<string, unknown>, settings: EmulatorSettings): JobPlan {
  switch (settings.worker) {
    case 'legacy':
      return planLegacyJob(input, settings);
    case 'proxy':
      return planProxyJob(input, settings);
    default: {
      const never: never = settings.worker;
      throw new Error(`unknown worker format ${String(never)}`);
    }
  }
}
