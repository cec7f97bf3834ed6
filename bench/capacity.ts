// `npm run bench:capacity`: does the bundled capacity scenario find the true limit of an
// endpoint whose limit is known? The target is bench/slots-target.ts in its own process:
// Runpod's queue API in front of `slots` job slots that hold each job exactly `holdMs`, a
// freed slot taking the next queued job at once, so its capacity is slots / holdMs. The
// bench runs scenarios/capacity.yaml as it ships, pointed at that target, and compares the
// answer (the best step's steady throughput and its 95% interval) with the truth, beside the
// whole-run throughput of the same step (what the search read before steps had a steady
// figure) and the capacity as served (slots over the mean executionTime the target reported
// for the step's jobs: its timers run late on a busy machine). Loopback only; a few minutes.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../src/core/record.js';
import type { RunSummary } from '../src/core/summary.js';
import { machine, runPodbench, spawnTargetScript, writeBenchJson } from './support.js';

interface Shape {
  slots: number;
  holdMs: number;
}

const SHAPES: Shape[] = [
  { slots: 4, holdMs: 200 },
  { slots: 1, holdMs: 1000 / 3 },
  { slots: 2, holdMs: 2000 / 3 },
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
  const truthRps = (shape.slots * 1000) / shape.holdMs;
  const target = await spawnTargetScript('slots-target', [String(shape.slots), String(shape.holdMs)], 'slots');
  const started = Date.now();
  const result = await runPodbench([
    'run',
    'scenarios/capacity.yaml',
    '--out',
    out,
    '--set',
    `target.endpoint=${target.url}`,
  ]);
  await target.stop();
  if (result.code !== 0 && result.code !== 1) throw new Error(`podbench exited ${result.code}: ${result.stderr}`);
  if (!existsSync(join(out, 'summary.json'))) throw new Error(`podbench wrote no summary.json: ${result.stderr}`);
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
  const shapeName = `${shape.slots} at a time, ${round(shape.holdMs, 1)} ms each`;
  const answer = capacity?.kind === 'capacity' ? capacity.requestsPerSec : null;
  const interval = capacity?.kind === 'capacity' ? (capacity.requestsPerSecInterval ?? null) : null;
  const wholeRun = best?.throughput.requestsPerSec ?? null;
  const percent = (v: number | null) => (v === null ? null : round(((v - truthRps) / truthRps) * 100, 2));
  return {
    shape: shapeName,
    truthRps: round(truthRps),
    answerRps: answer === null ? null : round(answer),
    answerInterval: interval ? { low: round(interval.low), high: round(interval.high) } : null,
    errorPercent: percent(answer),
    covered: interval ? interval.low <= truthRps && truthRps <= interval.high : null,
    wholeRunRps: wholeRun === null ? null : round(wholeRun),
    wholeRunErrorPercent: percent(wholeRun),
    servedRps: records.length > 0 ? round((shape.slots * 1000) / meanExecutionMs) : null,
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
