// `npm run bench:accuracy`: how far podbench's measured first-token and end times are from
// the truth. The emulator (its own process, fixed latencies: no jitter, no batching
// slowdown) records when it handed each job's first token, and the news that it ended, to
// the client's socket, on the machine's clock (performance.timeOrigin + now, as podbench's
// run.json startedEpochMs): what is left is podbench's own delay (loopback transit included);
// podbench runs 1, 100 and 1,000 concurrent streams in stream mode with /stream long-polls
// and in openai-stream mode. Error = measured time − true time, per request.
// Target: p99 under 2 ms at 1,000 streams. Loopback only; about a minute.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../src/core/record.js';
import type { LoopDelay, RunMeta } from '../src/core/summary.js';
import { quantile, sortedSamples } from '../src/metrics/percentiles.js';
import { machine, runPodbench, spawnEmulator, writeBenchJson } from './support.js';

export interface AccuracyRow {
  mode: string;
  streams: number;
  requests: number;
  firstTokenErrorMs: { p50: number | null; p99: number | null; min: number | null };
  endErrorMs: { p50: number | null; p99: number | null; min: number | null };
  /** podbench's own event-loop delay through the run (run.json): the client's share of the error. */
  clientLoopDelayMs: LoopDelay | null;
  /**
   * The same over requests after the first `streams` (the opening burst, when podbench is
   * still opening connections and sending while early answers arrive): the steady state.
   */
  steady: {
    requests: number;
    firstTokenErrorMs: { p50: number | null; p99: number | null; min: number | null };
    endErrorMs: { p50: number | null; p99: number | null; min: number | null };
  };
}

interface Truth {
  firstTokenSentAt?: number;
  endSentAt?: number;
}

function stats(values: number[]) {
  const sorted = sortedSamples(values);
  const r = (v: number | undefined) => (v === undefined ? null : Math.round(v * 1000) / 1000);
  return { p50: r(quantile(sorted, 0.5)), p99: r(quantile(sorted, 0.99)), min: r(sorted[0]) };
}

export async function benchAccuracy(levels = [1, 100, 1000]): Promise<AccuracyRow[]> {
  const rows: AccuracyRow[] = [];
  for (const mode of ['stream', 'openai-stream']) {
    for (const streams of levels) {
      const emulator = await spawnEmulator([
        '--no-rate-limits',
        '--workers-min',
        '2',
        '--workers-max',
        '2',
        '--concurrency',
        '1000',
        '--set',
        'generation.jitter=0',
        '--set',
        'generation.stepMsPerSequence=0',
        '--set',
        'generation.eosProbability=0',
        '--set',
        'generation.stepMs=20',
        '--set',
        'generation.prefillMsPerToken=0',
      ]);
      try {
        const dir = mkdtempSync(join(tmpdir(), 'podbench-acc-'));
        const scenario = join(dir, 's.yaml');
        // Three rounds: the first is the opening burst, the other two the steady state.
        const requests = Math.max(3 * streams, 50);
        writeFileSync(
          scenario,
          `name: accuracy\ntarget: { endpoint: "${emulator.url}" }\nmode: ${mode}\nsampling_params: { max_tokens: 32 }\npolling: { wait: 10s, health: 0 }\nload: { concurrency: ${streams}, requests: ${requests} }\n`,
        );
        const out = join(dir, 'run');
        const run = await runPodbench(['run', scenario, '--out', out, '--quiet']);
        if (run.code !== 0) throw new Error(`podbench run (${mode}, ${streams}) exited ${run.code}: ${run.stderr}`);
        const runMeta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunMeta;
        const origin = runMeta.startedEpochMs;
        const records = readFileSync(join(out, 'results.ndjson'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as RequestRecord);
        const first: number[] = [];
        const end: number[] = [];
        const steadyFirst: number[] = [];
        const steadyEnd: number[] = [];
        const base = new URL(emulator.url).origin;
        for (const r of records) {
          const id = r.jobId ?? r.responseId;
          if (r.outcome !== 'ok' || id === undefined) continue;
          const truth = (await (await fetch(`${base}/_emulator/jobs/${encodeURIComponent(id)}`)).json()) as Truth;
          const steady = r.seq >= streams;
          if (r.firstTokenMs !== undefined && truth.firstTokenSentAt !== undefined) {
            first.push(origin + r.firstTokenMs - truth.firstTokenSentAt);
            if (steady) steadyFirst.push(origin + r.firstTokenMs - truth.firstTokenSentAt);
          }
          if (truth.endSentAt !== undefined) {
            end.push(origin + r.endMs - truth.endSentAt);
            if (steady) steadyEnd.push(origin + r.endMs - truth.endSentAt);
          }
        }
        rows.push({
          mode,
          streams,
          requests: first.length,
          firstTokenErrorMs: stats(first),
          endErrorMs: stats(end),
          clientLoopDelayMs: runMeta.variants[0]?.clientLoopDelayMs ?? null,
          steady: { requests: steadyFirst.length, firstTokenErrorMs: stats(steadyFirst), endErrorMs: stats(steadyEnd) },
        });
      } finally {
        await emulator.stop();
      }
    }
  }
  return rows;
}

if (process.argv[1]?.endsWith('accuracy.js')) {
  const rows = await benchAccuracy();
  console.log(
    'mode            streams  requests  first-token error p50 / p99     end error p50 / p99     steady state: first token p99 / end p99   client loop delay p99',
  );
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(15)} ${String(r.streams).padStart(7)}  ${String(r.requests).padStart(8)}  ${String(r.firstTokenErrorMs.p50).padStart(9)} / ${String(r.firstTokenErrorMs.p99).padEnd(9)} ms  ${String(r.endErrorMs.p50).padStart(9)} / ${String(r.endErrorMs.p99).padEnd(9)} ms  ${r.steady.firstTokenErrorMs.p99} / ${r.steady.endErrorMs.p99} ms   ${r.clientLoopDelayMs?.p99 ?? '-'} ms`,
    );
  }
  console.log(`written ${writeBenchJson('accuracy', { machine: machine(), rows })}`);
}
