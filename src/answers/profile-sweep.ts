// GuideLLM's sweep profile: a synchronous run (one request at a time), a throughput run
// (every request at once), then constant rates evenly spaced between the two rates those
// measured. `sweepSize` counts every benchmark, as GuideLLM's `--rate` does for a sweep:
// the rates are linspace(synchronous, throughput, sweepSize - 1) without its first point
// (the synchronous rate already ran), so the last one is the throughput rate itself. Pure.
import type { ProfileSweepFinding } from '../core/findings.js';
import type { VariantSummary } from '../core/summary.js';
import { stepThroughput } from './sweep-steps.js';

/** The constant rates of a sweep, in req/s, rounded to 3 decimals as a rate sweep's levels are. */
export function profileSweepRates(synchronousRps: number, throughputRps: number, sweepSize: number): number[] {
  const points = sweepSize - 1;
  if (points < 2) return [];
  const step = (throughputRps - synchronousRps) / (points - 1);
  return Array.from({ length: points - 1 }, (_, i) => Math.round((synchronousRps + step * (i + 1)) * 1000) / 1000);
}

/** Why a sweep cannot go on to its constant rates (no rate to send), or undefined when it can. */
export function profileSweepProblem(synchronousRps: number, throughputRps: number): string | undefined {
  if (!(throughputRps > 0))
    return `the throughput run measured no throughput (${throughputRps} req/s): no constant rates to run`;
  if (!(synchronousRps >= 0)) return 'the synchronous run measured no throughput: no constant rates to run';
  return undefined;
}

/** The sweep's finding, from its variants as the runner named them (params load.profile and load.rate). */
export function profileSweepFinding(
  variants: readonly VariantSummary[],
  sweepSize: number,
  sweepConclusion: string | null,
): ProfileSweepFinding {
  const run = (profile: string) => variants.find((v) => v.params['load.profile'] === profile);
  const steady = (variant: VariantSummary | undefined) =>
    variant ? stepThroughput(variant) : { requestsPerSec: null, interval: null };
  const synchronous = steady(run('synchronous'));
  const throughput = steady(run('throughput'));
  return {
    kind: 'profile-sweep',
    synchronousRps: synchronous.requestsPerSec,
    synchronousInterval: synchronous.interval,
    throughputRps: throughput.requestsPerSec,
    throughputInterval: throughput.interval,
    rates: variants.flatMap((v) => {
      const rate = v.params['load.rate'];
      return typeof rate === 'number'
        ? [
            {
              variant: v.name,
              rate,
              requestsPerSec: stepThroughput(v).requestsPerSec,
              e2eP95Ms: v.metrics.e2eMs.p95,
            },
          ]
        : [];
    }),
    sweepSize,
    sweepConclusion,
  };
}
