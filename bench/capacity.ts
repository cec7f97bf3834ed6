// `npm run bench:capacity`: does the bundled capacity scenario find the true limit of an
// endpoint whose limit is known? Each shape is the embedded emulator with fixed timings
// (no jitter, no prefill cost, no end-of-sequence draw), so a job holds a slot for exactly
// `maxTokens` decode steps plus the one step a queued job waits to join the batch (the
// emulator admits a job picked up mid-step at the next step boundary). Its capacity is
//
//   workers × slots / ((maxTokens + 1) × stepMs)
//
// when every slot always has a job waiting. The bench runs scenarios/capacity.yaml as it
// ships, with only the target's shape set, and compares the answer (the best step's steady
// throughput and its 95% interval) with that truth, beside the whole-run throughput of the
// same step (what the search read before steps had a steady figure) and the capacity the
// emulator itself reported (slots over the mean executionMs of the best step's jobs: the
// truth as served, which a loaded machine can push below the model's). Loopback only.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../src/core/record.js';
import type { RunSummary } from '../src/core/summary.js';
import { machine, runPodbench, writeBenchJson } from './support.js';

interface Shape {
  name: string;
  workers: number;
  slots: number;
  stepMs: number;
  maxTokens: number;
}

const SHAPES: Shape[] = [
  { name: '4 at a time, 9 steps of 25 ms', workers: 1, slots: 4, stepMs: 25, maxTokens: 8 },
  { name: '1 at a time, 9 steps of 37 ms', workers: 1, slots: 1, stepMs: 37, maxTokens: 8 },
  { name: '2 workers × 2 at a time, 17 steps of 20 ms', workers: 2, slots: 2, stepMs: 20, maxTokens: 16 },
];

export interface CapacityRow {
  shape: string;
  truthRps: number;
  answerRps: number | null;
  answerInterval: { low: number; high: number } | null;
  errorPercent: number | null;
  covered: boolean | null;
  wholeRunRps: number | null;
  wholeRunErrorPercent: number | null;
  servedRps: number | null;
  bestLevel: number | null;
  steps: number;
  durationSec: number;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

async function measure(shape: Shape): Promise<CapacityRow> {
  const out = mkdtempSync(join(tmpdir(), 'podbench-bench-capacity-'));
  const truthRps = (shape.workers * shape.slots * 1000) / ((shape.maxTokens + 1) * shape.stepMs);
  const started = Date.now();
  const result = await runPodbench([
    'run',
    'scenarios/capacity.yaml',
    '--out',
    out,
    '--set',
    `emulator.workers.min=${shape.workers}`,
    '--set',
    `emulator.workers.max=${shape.workers}`,
    '--set',
    `emulator.workers.concurrency=${shape.slots}`,
    '--set',
    `emulator.generation.stepMs=${shape.stepMs}`,
    '--set',
    'emulator.generation.prefillMsPerToken=0',
    '--set',
    `sampling_params.max_tokens=${shape.maxTokens}`,
  ]);
  if (result.code !== 0 && result.code !== 1) throw new Error(`podbench exited ${result.code}: ${result.stderr}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
  const capacity = summary.findings?.find((f) => f.kind === 'capacity');
  const best =
    capacity?.kind === 'capacity'
      ? summary.variants.filter((v) => v.params['load.concurrency'] === capacity.level).at(-1)
      : undefined;
  const records = readFileSync(join(out, 'results.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RequestRecord)
    .filter((r) => r.variant === best?.name && r.phase !== 'warmup' && r.executionMs !== undefined);
  const meanExecutionMs = records.reduce((a, r) => a + (r.executionMs as number), 0) / Math.max(1, records.length);
  const answer = capacity?.kind === 'capacity' ? capacity.requestsPerSec : null;
  const interval = capacity?.kind === 'capacity' ? (capacity.requestsPerSecInterval ?? null) : null;
  const wholeRun = best?.throughput.requestsPerSec ?? null;
  const percent = (v: number | null) => (v === null ? null : round(((v - truthRps) / truthRps) * 100, 2));
  return {
    shape: shape.name,
    truthRps: round(truthRps),
    answerRps: answer === null ? null : round(answer),
    answerInterval: interval ? { low: round(interval.low), high: round(interval.high) } : null,
    errorPercent: percent(answer),
    covered: interval ? interval.low <= truthRps && truthRps <= interval.high : null,
    wholeRunRps: wholeRun === null ? null : round(wholeRun),
    wholeRunErrorPercent: percent(wholeRun),
    servedRps: records.length > 0 ? round((shape.workers * shape.slots * 1000) / meanExecutionMs) : null,
    bestLevel: capacity?.kind === 'capacity' ? capacity.level : null,
    steps: summary.variants.length,
    durationSec: round((Date.now() - started) / 1000, 1),
  };
}

export async function benchCapacity(): Promise<CapacityRow[]> {
  const rows: CapacityRow[] = [];
  for (const shape of SHAPES) rows.push(await measure(shape));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchCapacity();
  for (const r of rows) {
    const interval = r.answerInterval ? `${r.answerInterval.low}-${r.answerInterval.high}` : 'none';
    process.stdout.write(
      `${r.shape}: truth ${r.truthRps} req/s (served ${r.servedRps}); answer ${r.answerRps} at ${r.bestLevel} in flight ` +
        `(${r.errorPercent}%, 95% interval ${interval}, covers the truth: ${r.covered}); ` +
        `whole-run figure ${r.wholeRunRps} (${r.wholeRunErrorPercent}%); ${r.steps} steps in ${r.durationSec} s\n`,
    );
  }
  process.stdout.write(`written: ${writeBenchJson('capacity', { machine: machine(), rows })}\n`);
}
