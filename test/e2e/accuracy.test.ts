// Measurement against ground truth: the emulator (in its own thread, fixed latencies)
// records when each job's first token became available and when it completed, on the
// same machine clock. podbench's measured times must never precede the truth, and a first
// token may trail it only by the polling uncertainty podbench reports: that interval runs
// from sending the last poll that came back empty to receiving the first with a token, on
// podbench's own clock, so the truth lies inside it however busy the machine is.
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import { runScenario } from '../../src/runner/run.js';
import { quantile, sortedSamples } from '../../src/metrics/percentiles.js';
import { tempDir, writeScenario } from '../support/cli.js';
import { readRecords, readMeta } from '../support/run-files.js';

/** Machine-clock alignment between threads (timeOrigin + now): well under a millisecond. */
const CLOCK_SLACK_MS = 1;

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulatorInWorker({
    seed: 11,
    workers: { min: 20, max: 20, concurrency: 30 },
    generation: { jitter: 0, eosProbability: 0, stepMs: 20, stepMsPerSequence: 0.2, prefillMsPerToken: 0.05 },
    rateLimits: { enabled: false },
  });
});
afterAll(() => emulator.close());

async function measure(mode: string, concurrency: number, polling: string) {
  const out = join(tempDir(), 'run');
  const file = writeScenario(`name: accuracy
target: { endpoint: ${emulator.endpointUrl} }
mode: ${mode}
sampling_params: { max_tokens: 16 }
polling: ${polling}
load: { concurrency: ${concurrency}, requests: ${concurrency === 1 ? 20 : concurrency} }
`);
  const sink = new PassThrough();
  sink.resume();
  const outcome = await runScenario({
    scenarioFile: file,
    overrides: [],
    engine: 'native',
    out,
    reportsRoot: tempDir(),
    env: { RUNPOD_API_KEY: 'unused' },
    stdout: sink as unknown as NodeJS.WriteStream,
    stderr: sink as unknown as NodeJS.WriteStream,
    quiet: true,
    graceMs: 1000,
  });
  expect(outcome.exitCode).toBe(0);
  const origin = readMeta(out).startedEpochMs;
  const rows = [];
  for (const r of readRecords(out)) {
    expect(r.outcome, r.error).toBe('ok');
    const truth = await emulator.jobTruth(r.jobId!);
    expect(truth?.completedAt).toBeDefined();
    rows.push({
      ttftErrorMs: r.firstTokenMs !== undefined ? origin + r.firstTokenMs - truth!.firstTokenAt! : undefined,
      endErrorMs: origin + r.endMs - truth!.completedAt!,
      uncertaintyMs: r.ttftUncertaintyMs ?? 0,
    });
  }
  return rows;
}

function report(label: string, values: number[]) {
  const sorted = sortedSamples(values);
  // Printed for the record; the assertions are bounds that hold on a busy machine.
  console.log(
    `${label}: p50 ${quantile(sorted, 0.5)?.toFixed(2)} ms, p99 ${quantile(sorted, 0.99)?.toFixed(2)} ms, max ${sorted.at(-1)?.toFixed(2)} ms`,
  );
}

describe.each([1, 500])('at concurrency %i', (concurrency) => {
  it('stream mode with /stream long-polls: first token within the reported uncertainty, end never early', async () => {
    const rows = await measure('stream', concurrency, '{ wait: 10s, health: 0 }');
    for (const row of rows) {
      expect(row.ttftErrorMs!).toBeGreaterThanOrEqual(-CLOCK_SLACK_MS);
      expect(row.ttftErrorMs!).toBeLessThanOrEqual(row.uncertaintyMs + CLOCK_SLACK_MS);
      expect(row.endErrorMs).toBeGreaterThanOrEqual(-CLOCK_SLACK_MS);
    }
    report(
      `stream+wait c=${concurrency} first-token error`,
      rows.map((r) => r.ttftErrorMs!),
    );
    report(
      `stream+wait c=${concurrency} end error`,
      rows.map((r) => r.endErrorMs),
    );
  });

  it('stream mode with short polls: the error stays inside the stated polling uncertainty', async () => {
    const rows = await measure('stream', concurrency, '{ interval: 25ms, health: 0 }');
    for (const row of rows) {
      expect(row.ttftErrorMs!).toBeGreaterThanOrEqual(-CLOCK_SLACK_MS);
      expect(row.ttftErrorMs!).toBeLessThanOrEqual(row.uncertaintyMs + CLOCK_SLACK_MS);
    }
    report(
      `stream+25ms polls c=${concurrency} first-token error`,
      rows.map((r) => r.ttftErrorMs!),
    );
  });

  it('sync mode: /runsync answers at completion', async () => {
    const rows = await measure('sync', concurrency, '{ health: 0 }');
    for (const row of rows) expect(row.endErrorMs).toBeGreaterThanOrEqual(-CLOCK_SLACK_MS);
    report(
      `sync c=${concurrency} end error`,
      rows.map((r) => r.endErrorMs),
    );
  });
});
