// Decode step time, its growth with the sequences in flight, and prefill cost per prompt
// token, from the server's executionTime of every job (not client times: those carry
// polling and network). occupancy.ts says which steps each job shared with how many others;
// a robust weighted least squares solves for the step parameters; the two alternate until
// the parameters settle. A parameter the run gives no handle on (every job
// ran beside the same number of others; every prompt the same length) is left out of the
// fit and reported as a gap, its effect folded into the step time.
import { quantile, sortedSamples } from '../../metrics/percentiles.js';
import { bootstrapIntervals } from './bootstrap.js';
import { type DecodeParams, occupancyTerms } from './occupancy.js';
import { huberFit, median } from './least-squares.js';
import { byWorker, type JobObs } from './observations.js';

export type Interval = [number, number];

export interface DecodeFit {
  params: DecodeParams;
  /** A fixed cost in every job's executionTime (0 when not fitted). */
  executionOverheadMs: number;
  fitted: { perSequence: boolean; prefill: boolean; overhead: boolean };
  intervals: { stepMs?: Interval; stepMsPerSequence?: Interval; prefillMsPerToken?: Interval; executionMs?: Interval };
  /** Relative step noise that explains the residuals (an upper bound: measurement noise adds to it). */
  jitter: number | null;
  jobs: number;
  downweighted: number;
  sequencesP10: number;
  sequencesP90: number;
  promptTokensP10: number;
  promptTokensP90: number;
  outputTokensCv: number;
  outputTokensMean: number;
  /** Per job seq: the modelled pickup → first token time (wait for the running step, then its first step). */
  firstTokenMs: Map<number, number>;
}

interface Row {
  seq: number;
  a: number;
  b: number;
  c: number;
  fa: number;
  fb: number;
  fc: number;
  y: number;
}

const MAX_ROUNDS = 20;

function p(values: number[], q: number): number {
  return quantile(sortedSamples(values), q) ?? Number.NaN;
}

function usable(job: JobObs): boolean {
  return (
    job.ok &&
    job.outputTokens !== undefined &&
    job.outputTokens >= 1 &&
    job.promptTokens !== undefined &&
    job.executionMs > 0
  );
}

function replayAll(
  groups: Map<string, JobObs[]>,
  params: DecodeParams,
  timeScale: number,
  endLagMs = 0,
): { rows: Row[]; sequences: number[] } {
  const rows: Row[] = [];
  const sequences: number[] = [];
  for (const list of groups.values()) {
    const terms = occupancyTerms(list, params, timeScale, endLagMs);
    list.forEach((job, i) => {
      const t = terms[i];
      if (t === undefined) return;
      rows.push({ seq: job.seq, a: t.a, b: t.b, c: t.c, fa: t.firstA, fb: t.firstB, fc: t.firstC, y: job.executionMs });
      sequences.push(t.meanSequences);
    });
  }
  return { rows, sequences };
}

type Column = 'a' | 'b' | 'c' | 'one';

function design(rows: readonly Row[], columns: readonly Column[]): number[][] {
  return rows.map((r) => columns.map((c) => (c === 'one' ? 1 : r[c])));
}

/** Noise grows with the steps a job took: weigh each job by 1 / (its steps + a floor for measurement noise). */
function baseWeights(rows: readonly Row[]): number[] {
  return rows.map((r) => 1 / (r.a + 10));
}

function solveWith(
  rows: readonly Row[],
  wanted: Column[],
): { columns: Column[]; beta: number[]; downweighted: number; robustness: number[] } | undefined {
  let columns = [...wanted];
  for (;;) {
    const fit = huberFit(
      design(rows, columns),
      rows.map((r) => r.y),
      baseWeights(rows),
    );
    if (fit !== undefined) {
      // A negative slope is noise around zero: fix it at zero and solve again.
      const negative = columns.findIndex((c, i) => c !== 'a' && c !== 'one' && (fit.beta[i] as number) < 0);
      if (negative === -1)
        return { columns, beta: fit.beta, downweighted: fit.downweighted, robustness: fit.robustness };
      columns = columns.filter((_, i) => i !== negative);
      continue;
    }
    // Columns the run cannot tell apart: give up the least essential first.
    const drop = (['one', 'c', 'b'] as const).find((c) => columns.includes(c));
    if (drop === undefined) return undefined;
    columns = columns.filter((c) => c !== drop);
  }
}

function coefficient(columns: readonly Column[], beta: readonly number[], c: Column): number {
  const at = columns.indexOf(c);
  return at === -1 ? 0 : (beta[at] as number);
}

export function fitDecode(all: readonly JobObs[], seed: number, timeScale = 1): DecodeFit | undefined {
  const jobs = all.filter(usable);
  if (jobs.length < 5) return undefined;
  const groups = byWorker(jobs);
  const outputs = jobs.map((j) => j.outputTokens as number);
  const prompts = jobs.map((j) => j.promptTokens as number);
  const outputMean = outputs.reduce((s, v) => s + v, 0) / outputs.length;
  const outputSd = Math.sqrt(outputs.reduce((s, v) => s + (v - outputMean) ** 2, 0) / outputs.length);
  const outputCv = outputMean > 0 ? outputSd / outputMean : 0;
  const promptP10 = p(prompts, 0.1);
  const promptP90 = p(prompts, 0.9);

  let params: DecodeParams = {
    stepMs: median(jobs.map((j) => j.executionMs / (j.outputTokens as number))),
    stepMsPerSequence: 0,
    prefillMsPerToken: 0,
  };
  let endLag = 0;
  let replay = replayAll(groups, params, timeScale);
  const sequencesP10 = p(replay.sequences, 0.1);
  const sequencesP90 = p(replay.sequences, 0.9);
  const wanted: Column[] = ['a'];
  if (sequencesP90 - sequencesP10 >= 0.5) wanted.push('b');
  if (promptP90 > 1.3 * promptP10 && promptP90 - promptP10 >= 8) wanted.push('c');
  if (outputCv >= 0.1) wanted.push('one');

  let solved: ReturnType<typeof solveWith>;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    solved = solveWith(replay.rows, wanted);
    if (solved === undefined) return undefined;
    const next: DecodeParams = {
      stepMs: coefficient(solved.columns, solved.beta, 'a'),
      stepMsPerSequence: coefficient(solved.columns, solved.beta, 'b'),
      prefillMsPerToken: coefficient(solved.columns, solved.beta, 'c'),
    };
    if (process.env.DBG) console.log(round, JSON.stringify(next), solved.downweighted);
    const settled =
      Math.abs(next.stepMs - params.stepMs) <= 1e-4 * Math.abs(next.stepMs) &&
      Math.abs(next.stepMsPerSequence - params.stepMsPerSequence) <= 1e-4 * (Math.abs(next.stepMs) / 100) &&
      Math.abs(next.prefillMsPerToken - params.prefillMsPerToken) <= 1e-4 * (Math.abs(next.stepMs) / 1000);
    params = next;
    endLag = coefficient(solved.columns, solved.beta, 'one');
    replay = replayAll(groups, params, timeScale, endLag);
    if (settled) break;
  }
  solved = solveWith(replay.rows, wanted);
  if (solved === undefined || !(coefficient(solved.columns, solved.beta, 'a') > 0)) return undefined;
  const { columns, beta } = solved;
  params = {
    stepMs: coefficient(columns, beta, 'a'),
    stepMsPerSequence: coefficient(columns, beta, 'b'),
    prefillMsPerToken: coefficient(columns, beta, 'c'),
  };
  const overhead = coefficient(columns, beta, 'one');

  // Uncertainty: the same robust fit on resamples of the jobs, their steps held as replayed.
  const rows = replay.rows;
  const intervals = bootstrapIntervals(
    rows.length,
    (indices) => {
      const sample = Array.from(indices, (i) => rows[i] as Row);
      const fit = huberFit(
        design(sample, columns),
        sample.map((r) => r.y),
        baseWeights(sample),
        1.345,
        6,
      );
      return fit?.beta;
    },
    seed,
  );
  const intervalOf = (c: Column): Interval | undefined => {
    const at = columns.indexOf(c);
    return at === -1 || intervals === undefined ? undefined : (intervals[at] as Interval);
  };

  // Jitter: step noise is (1 ± jitter × uniform), variance jitter²/3 per step.
  const ratios: number[] = [];
  rows.forEach((r, i) => {
    if ((solved?.robustness[i] ?? 0) < 0.5) return;
    const predicted = params.stepMs * r.a + params.stepMsPerSequence * r.b + params.prefillMsPerToken * r.c + overhead;
    const meanStep = (predicted - overhead) / Math.max(1, r.a);
    if (meanStep <= 0) return;
    ratios.push((r.y - predicted) ** 2 / (Math.max(1, r.a) * meanStep * meanStep));
  });
  const jitter =
    ratios.length >= 5 ? Math.min(1, Math.sqrt((3 * ratios.reduce((s, v) => s + v, 0)) / ratios.length)) : null;

  const firstTokenMs = new Map<number, number>();
  for (const r of rows)
    firstTokenMs.set(r.seq, params.stepMs * r.fa + params.stepMsPerSequence * r.fb + params.prefillMsPerToken * r.fc);

  return {
    params,
    executionOverheadMs: overhead,
    fitted: { perSequence: columns.includes('b'), prefill: columns.includes('c'), overhead: columns.includes('one') },
    intervals: {
      ...(intervalOf('a') ? { stepMs: intervalOf('a') } : {}),
      ...(intervalOf('b') ? { stepMsPerSequence: intervalOf('b') } : {}),
      ...(intervalOf('c') ? { prefillMsPerToken: intervalOf('c') } : {}),
      ...(intervalOf('one') ? { executionMs: intervalOf('one') } : {}),
    },
    jitter,
    jobs: rows.length,
    downweighted: solved.downweighted,
    sequencesP10,
    sequencesP90,
    promptTokensP10: promptP10,
    promptTokensP90: promptP90,
    outputTokensCv: outputCv,
    outputTokensMean: outputMean,
    firstTokenMs,
  };
}
