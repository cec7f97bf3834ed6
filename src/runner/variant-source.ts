// Which variant runs next. A matrix lists its variants up front; a capacity sweep decides
// each next level from what the previous steps measured (src/answers/capacity-search.ts),
// so the runner asks this source after every variant instead of walking a fixed list.
import type { VariantSummary } from '../core/summary.js';
import { nextStep, type StepResult, type SweepConfig } from '../answers/capacity-search.js';
import { stepResult, stepThroughput } from '../answers/sweep-steps.js';
import { parseScenario, type LoadedScenario, type Variant } from '../scenario/load.js';
import type { Override } from '../util/override.js';
import { aggregateSlos } from '../metrics/goodput.js';
import { profileSweepProblem, profileSweepRates } from '../answers/profile-sweep.js';
import { DEFAULT_SWEEP_SIZE } from '../schedule/load-schema.js';

export interface VariantSource {
  /** The next variant, given the summary of the one that just ran; undefined when done. */
  next(previous: VariantSummary | undefined): Variant | undefined;
  /** How many variants, when known in advance (for the progress label). */
  readonly total: number | undefined;
  /** True when the next variant depends on the last one's summary (a sweep). */
  readonly adaptive: boolean;
  /** Why the source stopped (a sweep's conclusion), once it has. */
  readonly conclusion: string | undefined;
}

export function variantSource(loaded: LoadedScenario, overrides: readonly Override[]): VariantSource {
  const first = loaded.variants[0] as Variant;
  const sweep = first.scenario.sweep;
  if (first.scenario.load.profile === 'sweep')
    return profileSweepSource(loaded, overrides, first.scenario.load.sweepSize ?? DEFAULT_SWEEP_SIZE);
  if (!sweep) {
    let index = 0;
    return {
      next: () => loaded.variants[index++],
      total: loaded.variants.length,
      adaptive: false,
      conclusion: undefined,
    };
  }
  return sweepSource(loaded, overrides, sweep, aggregateSlos(first.scenario.slo));
}

function sweepSource(
  loaded: LoadedScenario,
  overrides: readonly Override[],
  sweep: SweepConfig,
  slo: readonly string[],
): VariantSource {
  const steps: StepResult[] = [];
  const extensions = new Map<number, number>();
  const first = loaded.variants[0] as Variant;
  let pending: number | undefined;
  let conclusion: string | undefined;
  const label = sweep.field.split('.').at(-1) as string;
  return {
    total: undefined,
    adaptive: true,
    get conclusion() {
      return conclusion;
    },
    next(previous) {
      if (previous !== undefined && pending !== undefined) steps.push(stepResult(pending, previous, slo));
      const decision = nextStep(sweep, steps);
      if (decision.done) {
        conclusion = decision.reason;
        pending = undefined;
        return undefined;
      }
      pending = decision.level;
      const extra: Override[] = [{ path: sweep.field, value: decision.level, origin: 'sweep' }];
      // A step measured again, longer, because its throughput was not yet stable: twice the
      // requests, or twice the time when the scenario's steps are timed rather than counted.
      if (decision.phase === 'extend') {
        const load = first.scenario.load;
        if (load.requests === undefined && load.duration !== undefined) {
          const times = (extensions.get(decision.level) ?? 0) + 1;
          extensions.set(decision.level, times);
          extra.push({ path: 'load.duration', value: `${load.duration * 2 ** times}ms`, origin: 'sweep' });
        } else extra.push({ path: 'load.requests', value: decision.requests, origin: 'sweep' });
      }
      const [variant] = parseScenario(loaded.text, loaded.file, [...overrides, ...extra]).variants;
      const name = `${label}=${decision.level}${decision.phase === 'extend' ? ` n=${decision.requests}` : ''}`;
      return { ...(variant as Variant), name, params: { [sweep.field]: decision.level } };
    },
  };
}

/**
 * GuideLLM's sweep (src/answers/profile-sweep.ts): the synchronous run, the throughput run,
 * then constant rates between the steady throughputs the two measured. Each step is the
 * scenario with its load.profile replaced, so every other field (requests, warmup, arrival,
 * maxInFlight) applies to every step.
 */
function profileSweepSource(loaded: LoadedScenario, overrides: readonly Override[], size: number): VariantSource {
  const clears = ['load.profile', 'load.sweepSize'];
  const variantWith = (extra: Override, name: string, params: Record<string, unknown>): Variant => {
    const [variant] = parseScenario(loaded.text, loaded.file, [...overrides, extra]).variants;
    return { ...(variant as Variant), name, params };
  };
  const measured: number[] = [];
  let rates: number[] | undefined;
  let index = 0;
  let conclusion: string | undefined;
  const names = new Set<string>();
  return {
    total: size,
    adaptive: true,
    get conclusion() {
      return conclusion;
    },
    next(previous) {
      if (previous !== undefined && index <= 2) measured.push(stepThroughput(previous).requestsPerSec);
      const step = index++;
      if (step === 0 || step === 1) {
        const profile = step === 0 ? 'synchronous' : 'throughput';
        names.add(profile);
        return variantWith({ path: 'load.profile', value: profile, clears, origin: 'load.profile sweep' }, profile, {
          'load.profile': profile,
        });
      }
      const [synchronousRps = 0, throughputRps = 0] = measured;
      if (rates === undefined) {
        const problem = profileSweepProblem(synchronousRps, throughputRps);
        rates = problem === undefined ? profileSweepRates(synchronousRps, throughputRps, size) : [];
        const span = rates.length > 0 ? `${rates.length} constant rates from ${rates[0]} to ${rates.at(-1)} req/s` : '';
        conclusion = `synchronous ${round3(synchronousRps)} req/s, throughput ${round3(throughputRps)} req/s${problem ? `: ${problem}` : span ? `: ${span}` : ''}`;
      }
      const rate = rates[step - 2];
      if (rate === undefined) return undefined;
      // Two rates that round alike (a synchronous run as fast as the throughput run) keep apart by their place.
      let name = `rate=${rate}`;
      if (names.has(name)) name = `${name} (${step + 1}/${size})`;
      names.add(name);
      return variantWith({ path: 'load.rate', value: rate, clears, origin: 'load.profile sweep' }, name, {
        'load.rate': rate,
      });
    },
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
