// Acceptance: the same scenario against the emulator with fixed latencies, on native,
// autocannon (where the mode allows) and k6. Every engine's records sit on the run's clock
// and bracket what the emulator saw: each request was sent before its job arrived, ended
// after the job completed, took at least the job's own time, and (streaming) received its
// first token after it appeared and within the polling uncertainty the engine reports.
// All of that holds however busy the machine.
// The E2E and TTFT medians are printed side by side: comparing them is a ratio of two
// wall-clock figures, which a busy 2-core machine bends; speed belongs in `npm run bench*`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/record.js';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import type { EngineName } from '../../src/engines/types.js';
import { readMeta } from '../support/run-files.js';
import { expectAllOk, median, requireK6, runEngine, skipWithoutK6 } from './support.js';

/** Machine-clock alignment between threads and processes (timeOrigin + now, k6's wall clock): well under a millisecond. */
const CLOCK_SLACK_MS = 1;

let emulator: RunningEmulator;
const KEY = 'same-medians-key';

beforeAll(async () => {
  emulator = await startEmulatorInWorker(
    {
      seed: 5,
      network: { roundTrip: 0 },
      workers: { min: 4, max: 4, concurrency: 1 },
      generation: { jitter: 0, eosProbability: 0, stepMs: 25, stepMsPerSequence: 0, prefillMsPerToken: 1 },
      rateLimits: { enabled: false },
    },
    { apiKey: KEY },
  );
});
afterAll(() => emulator.close());

function scenario(mode: string, extra = ''): string {
  return `name: same-medians
target: { endpoint: ${emulator.endpointUrl} }
mode: ${mode}
input: { synthetic: { promptTokens: 200, spread: 0 } }
sampling_params: { max_tokens: 16 }
polling: { wait: 10s, health: 0 }
load: { concurrency: 4, requests: 12, warmup: 4 }
${extra}`;
}

interface Measured {
  engine: EngineName;
  records: RequestRecord[];
  /** The run's clock origin in epoch ms (run.json startedEpochMs). */
  origin: number;
}

async function measure(engine: EngineName, mode: string, extra = ''): Promise<Measured> {
  const { out, records, exitCode } = await runEngine(engine, scenario(mode, extra), { RUNPOD_API_KEY: KEY });
  expect(exitCode).toBe(0);
  expectAllOk(records);
  const measured = records.filter((r) => r.phase === 'measure');
  expect(measured).toHaveLength(12);
  for (const r of measured) expect(r.outputTokens, `${engine} #${r.seq}`).toBe(16);
  return { engine, records: measured, origin: readMeta(out).startedEpochMs };
}

const e2e = (records: RequestRecord[]) => median(records.map((r) => r.endMs - (r.sentMs as number)));
const ttft = (records: RequestRecord[]) =>
  median(records.map((r) => (r.firstTokenMs as number) - (r.sentMs as number)));

/** Each record against the emulator's record of its job (engines that see the job id). */
async function expectBracketsTruth({ engine, records, origin }: Measured): Promise<void> {
  for (const r of records) {
    const label = `${engine} #${r.seq}`;
    expect(r.jobId, label).toBeDefined();
    const truth = await emulator.jobTruth(r.jobId as string);
    expect(truth?.status, label).toBe('COMPLETED');
    const t = truth as NonNullable<typeof truth>;
    // Sent before the emulator received the job; ended after the job completed.
    expect(origin + (r.sentMs as number), label).toBeLessThanOrEqual(t.submittedAt + CLOCK_SLACK_MS);
    expect(origin + r.endMs, label).toBeGreaterThanOrEqual((t.completedAt as number) - CLOCK_SLACK_MS);
    if (r.firstTokenMs !== undefined) {
      expect(origin + r.firstTokenMs, label).toBeGreaterThanOrEqual((t.firstTokenAt as number) - CLOCK_SLACK_MS);
      // The token appeared after the last empty poll was sent (both on the engine's clock).
      expect(origin + r.firstTokenMs - (t.firstTokenAt as number), label).toBeLessThanOrEqual(
        (r.ttftUncertaintyMs as number) + CLOCK_SLACK_MS,
      );
    }
  }
}

/** Every job prefills its prompt at 1 ms a token, then decodes 16 tokens at 25 ms a step (no jitter): no request can take less. */
function expectAtLeastTheJob({ engine, records }: Measured): void {
  for (const r of records) {
    expect(r.promptTokens, `${engine} #${r.seq}`).toBeGreaterThan(0);
    const jobMs = (r.promptTokens as number) * 1 + 16 * 25;
    expect(r.endMs - (r.sentMs as number), `${engine} #${r.seq}`).toBeGreaterThanOrEqual(jobMs - CLOCK_SLACK_MS);
  }
}

function printMedians(label: string, value: number, reference: number): void {
  console.log(
    `${label}: ${value.toFixed(1)} ms vs native ${reference.toFixed(1)} ms (${(((value - reference) / reference) * 100).toFixed(2)} %)`,
  );
}

describe('mode sync', () => {
  it("native and autocannon: times that bracket the emulator's", async () => {
    const native = await measure('native', 'sync');
    const autocannon = await measure('autocannon', 'sync');
    for (const m of [native, autocannon]) {
      await expectBracketsTruth(m);
      expectAtLeastTheJob(m);
    }
    printMedians('sync autocannon E2E p50', e2e(autocannon.records), e2e(native.records));
  });

  it.skipIf(skipWithoutK6)("native and k6: times that bracket the emulator's", async () => {
    requireK6();
    const native = await measure('native', 'sync');
    const k6 = await measure('k6', 'sync');
    for (const m of [native, k6]) {
      await expectBracketsTruth(m);
      expectAtLeastTheJob(m);
    }
    printMedians('sync k6 E2E p50', e2e(k6.records), e2e(native.records));
  });
});

describe('mode openai', () => {
  // The OpenAI routes answer without a job id: no truth to look up, the job's length still bounds every request.
  it('native and autocannon: no request shorter than its job', async () => {
    const native = await measure('native', 'openai');
    const autocannon = await measure('autocannon', 'openai');
    for (const m of [native, autocannon]) expectAtLeastTheJob(m);
    printMedians('openai autocannon E2E p50', e2e(autocannon.records), e2e(native.records));
  });

  it.skipIf(skipWithoutK6)('native and k6: no request shorter than its job', async () => {
    requireK6();
    const native = await measure('native', 'openai');
    const k6 = await measure('k6', 'openai');
    for (const m of [native, k6]) expectAtLeastTheJob(m);
    printMedians('openai k6 E2E p50', e2e(k6.records), e2e(native.records));
  });
});

describe.skipIf(skipWithoutK6)('mode stream (long-polled /stream)', () => {
  it("native and k6: times on the run's clock that bracket the emulator's, first tokens within the reported uncertainty", async () => {
    requireK6();
    const native = await measure('native', 'stream');
    const k6 = await measure('k6', 'stream');
    for (const m of [native, k6]) {
      await expectBracketsTruth(m);
      expectAtLeastTheJob(m);
    }
    printMedians('stream k6 TTFT p50', ttft(k6.records), ttft(native.records));
    printMedians('stream k6 E2E p50', e2e(k6.records), e2e(native.records));
  });
});
