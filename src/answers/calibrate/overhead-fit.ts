// What the client sees beyond the endpoint's model: pickup to first token beyond the first
// decode step (polling, the stream's delivery, the network back), and end to end beyond
// delayTime + executionTime (the last poll, gateway, network both ways). Medians, with a
// bootstrap interval. Pure.
import { bootstrapIntervals } from './bootstrap.js';
import { median } from './least-squares.js';
import type { JobObs } from './observations.js';

export interface Overhead {
  valueMs: number;
  interval: [number, number] | undefined;
  basis: number;
}

function medianWithInterval(values: readonly number[], seed: number): Overhead | undefined {
  if (values.length === 0) return undefined;
  const interval = bootstrapIntervals(
    values.length,
    (idx) => [median(Array.from(idx, (i) => values[i] as number))],
    seed,
  );
  return { valueMs: median(values), interval: interval?.[0], basis: values.length };
}

/** `firstTokenMs`: per job seq, the modelled pickup → first token (decode-fit.ts). */
export function fitTtftOverhead(
  jobs: readonly JobObs[],
  firstTokenMs: ReadonlyMap<number, number>,
  seed: number,
): Overhead | undefined {
  const values: number[] = [];
  for (const j of jobs) {
    const modelled = firstTokenMs.get(j.seq);
    if (!j.ok || j.ttftMs === undefined || modelled === undefined) continue;
    values.push(j.ttftMs - j.delayMs - modelled);
  }
  return medianWithInterval(values, seed);
}

export function fitE2eOverhead(jobs: readonly JobObs[], seed: number): Overhead | undefined {
  return medianWithInterval(
    jobs.filter((j) => j.ok).map((j) => j.e2eMs - j.delayMs - j.executionMs),
    seed,
  );
}
