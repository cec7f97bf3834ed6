// Which worker generation reads the job input: settings.worker picks the parser. The
// backend counts the prompt's tokens and may refuse what it cannot run (a 400 in the
// worker's error shape, as for any invalid sampling parameter).
import type { EmulatorSettings } from '../settings/schema.js';
import type { JobPlan } from '../formats/generation-plan.js';
import { SYNTHETIC_PLANNING, type PlanningModel } from './backend.js';
import { planLegacyJob } from '../formats/legacy-input.js';
import { planProxyJob } from '../formats/proxy-input.js';
import { workerError } from '../formats/worker-errors.js';

export function planJob(
  input: Record<string, unknown>,
  settings: EmulatorSettings,
  model: PlanningModel = SYNTHETIC_PLANNING,
): JobPlan {
  const plan = parse(input, settings, model);
  if (plan.kind !== 'generate') return plan;
  const problem = model.unsupported(plan);
  return problem === undefined ? plan : { kind: 'reject', error: workerError(problem, plan.errorSite) };
}

function parse(input: Record<string, unknown>, settings: EmulatorSettings, model: PlanningModel): JobPlan {
  switch (settings.worker) {
    case 'legacy':
      return planLegacyJob(input, settings, model.tokenizer);
    case 'proxy':
      return planProxyJob(input, settings, model.tokenizer);
    default: {
      const never: never = settings.worker;
      throw new Error(`unknown worker format ${String(never)}`);
    }
  }
}
