// A log-normal fitted to durations: median e^mean(ln x), sigma the standard deviation of
// ln x (n − 1), the form the emulator's duration settings take ({median, sigma}). Pure.
import { bootstrapIntervals } from './bootstrap.js';

export interface LognormalFit {
  medianMs: number;
  sigma: number;
  medianInterval: [number, number] | undefined;
  sigmaInterval: [number, number] | undefined;
  n: number;
}

function moments(logs: ArrayLike<number>, indices?: ArrayLike<number>): { mean: number; sd: number } {
  const n = indices?.length ?? logs.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += logs[indices ? (indices[k] as number) : k] as number;
  const mean = sum / n;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += ((logs[indices ? (indices[k] as number) : k] as number) - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

export function fitLognormal(durationsMs: readonly number[], seed: number): LognormalFit | undefined {
  const logs = durationsMs.filter((d) => d > 0).map(Math.log);
  if (logs.length === 0) return undefined;
  const { mean, sd } = moments(logs);
  const intervals = bootstrapIntervals(
    logs.length,
    (indices) => {
      const m = moments(logs, indices);
      return [Math.exp(m.mean), m.sd];
    },
    seed,
  );
  return {
    medianMs: Math.exp(mean),
    sigma: sd,
    medianInterval: intervals?.[0],
    sigmaInterval: intervals?.[1],
    n: logs.length,
  };
}
