// Output length: the emulator ends a sequence with probability eosProbability per token once
// min_tokens are out, and at max_tokens at the latest (src/emulator/worker/sequence.ts). A
// job with L < max_tokens tokens drew L − min_tokens times and stopped at the last draw; one
// at max_tokens drew max_tokens − 1 − min_tokens times without stopping (what its last token
// drew cannot be told). The estimate is stops / draws, the maximum likelihood of that
// censored geometric law. Pure.
import { bootstrapIntervals } from './bootstrap.js';
import type { JobObs } from './observations.js';

export interface OutputLengthFit {
  eosProbability: number;
  interval: [number, number] | undefined;
  /** Jobs that ended before max_tokens. */
  stops: number;
  draws: number;
  jobs: number;
}

export function fitOutputLength(
  jobs: readonly JobObs[],
  maxTokens: number,
  minTokens: number,
  seed: number,
): OutputLengthFit | undefined {
  const lengths = jobs.filter((j) => j.ok && j.outputTokens !== undefined).map((j) => j.outputTokens as number);
  if (lengths.length === 0 || maxTokens <= minTokens + 1) return undefined;
  const tally = (indices: ArrayLike<number>): { stops: number; draws: number } => {
    let stops = 0;
    let draws = 0;
    for (let k = 0; k < indices.length; k++) {
      const length = lengths[indices[k] as number] as number;
      if (length < maxTokens) {
        stops++;
        draws += Math.max(1, length - minTokens);
      } else {
        draws += maxTokens - 1 - minTokens;
      }
    }
    return { stops, draws };
  };
  const all = tally(lengths.map((_, i) => i));
  if (all.draws <= 0) return undefined;
  const interval = bootstrapIntervals(
    lengths.length,
    (indices) => {
      const t = tally(indices);
      return t.draws > 0 ? [t.stops / t.draws] : undefined;
    },
    seed,
  );
  return {
    eosProbability: all.stops / all.draws,
    interval: interval?.[0],
    stops: all.stops,
    draws: all.draws,
    jobs: lengths.length,
  };
}
