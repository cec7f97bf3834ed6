// requests.csv cell by cell: hand-made records with times chosen so every derived column
// has one right value (worked out below by hand from the README's formulas), and a run
// against a scripted endpoint whose answers are held for known times.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/record.js';
import { SCHEMA_VERSION, type RunMeta } from '../../src/core/summary.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { startFakeEndpoint, type FakeEndpoint, type Reply } from '../support/fake-endpoint.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';
import { readCsv } from '../support/run-files.js';

/** The README's column list, in its order. */
const README_COLUMNS = [
  'variant',
  'seq',
  'phase',
  'mode',
  'outcome',
  'httpStatus',
  'jobId',
  'workerId',
  'workerFormat',
  'scheduledMs',
  'sentMs',
  'firstTokenMs',
  'lastTokenMs',
  'endMs',
  'sendLagMs',
  'ttftMs',
  'e2eMs',
  'tpotMs',
  'delayMs',
  'executionMs',
  'overheadMs',
  'promptTokens',
  'outputTokens',
  'tokenSource',
  'chunks',
  'polls',
  'retries',
  'ttftUncertaintyMs',
  'inProgressSeenMs',
  'cold',
  'error',
];

function runMeta(): RunMeta {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: '20261126-101500-csv',
    podbenchVersion: '0.1.0',
    scenario: { name: 'csv', description: '', file: 'csv.yaml', sha256: 'ab'.repeat(32), text: 'name: csv\n' },
    target: { kind: 'endpoint', host: '127.0.0.1:1', endpointId: 'fake' },
    engine: 'native',
    seed: 1,
    startedAt: '2026-11-26T10:15:00.000Z',
    startedEpochMs: 0,
    durationMs: 6000,
    prompts: 'hand-made',
    variants: [makeVariantMeta({ mode: 'stream', coldStartRule: { thresholdMs: 1000, idleGapMs: 5000 } })],
  };
}

const HAND_MADE: RequestRecord[] = [
  // Warm, streamed: sent 7 ms late; first token 250 ms after sending.
  makeRecord({
    seq: 0,
    mode: 'stream',
    jobId: 'job-0',
    workerId: 'w1',
    workerFormat: 'legacy',
    scheduledMs: 1000,
    sentMs: 1007,
    firstTokenMs: 1257,
    lastTokenMs: 1637,
    endMs: 1700,
    chunks: [
      [1257, 2],
      [1437, 3],
      [1637, 5],
    ],
    promptTokens: 30,
    outputTokens: 10,
    delayMs: 120,
    executionMs: 500,
    polls: 4,
    retries: 1,
    ttftUncertaintyMs: 12.5,
    inProgressSeenMs: 1130,
  }),
  // Cold (first job on w2, waited 1.5 s), with times that need rounding to 3 decimals.
  makeRecord({
    seq: 1,
    mode: 'stream',
    jobId: 'job-1',
    workerId: 'w2',
    workerFormat: 'legacy',
    scheduledMs: 2000.25,
    sentMs: 2000.5,
    firstTokenMs: 3600.1234,
    lastTokenMs: 3800.5,
    endMs: 3900.9876,
    chunks: [
      [3600.1234, 1],
      [3800.5, 4],
    ],
    promptTokens: 30,
    outputTokens: 5,
    delayMs: 1500,
    executionMs: 300,
    polls: 9,
    ttftUncertaintyMs: 20,
  }),
  // Failed: no token, no server timing; an error text that needs quoting.
  makeRecord({
    seq: 2,
    mode: 'stream',
    outcome: 'http_error',
    httpStatus: 503,
    error: 'HTTP 503: "busy", try later',
    scheduledMs: 4000,
    sentMs: 4001,
    endMs: 4051,
    tokenSource: 'none',
    retries: 3,
  }),
  // Never sent.
  makeRecord({
    seq: 3,
    mode: 'stream',
    outcome: 'not_sent',
    error: 'the run stopped',
    scheduledMs: 5000,
    sentMs: undefined,
    endMs: 5000,
    tokenSource: 'none',
  }),
];

describe('requests.csv from hand-made records', () => {
  it('has the documented columns, and each cell is its formula over that record', async () => {
    const dir = join(tempDir(), 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(runMeta()));
    writeFileSync(join(dir, 'results.ndjson'), `${HAND_MADE.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const result = await runCli(['report', dir]);
    expect(result.code, result.stderr).toBe(0);
    const { header, rows } = readCsv(dir, 'requests.csv');
    expect(header).toEqual(README_COLUMNS);
    expect(rows).toHaveLength(4);
    const [a, b, c, d] = rows;
    expect(a).toEqual({
      variant: 'default',
      seq: '0',
      phase: 'measure',
      mode: 'stream',
      outcome: 'ok',
      httpStatus: '',
      jobId: 'job-0',
      workerId: 'w1',
      workerFormat: 'legacy',
      scheduledMs: '1000',
      sentMs: '1007',
      firstTokenMs: '1257',
      lastTokenMs: '1637',
      endMs: '1700',
      sendLagMs: '7', // 1007 - 1000
      ttftMs: '250', // 1257 - 1007
      e2eMs: '693', // 1700 - 1007
      tpotMs: '47.5', // (1637 - 1257) / (10 - 2 tokens in the first chunk)
      delayMs: '120',
      executionMs: '500',
      overheadMs: '73', // 693 - 120 - 500
      promptTokens: '30',
      outputTokens: '10',
      tokenSource: 'usage',
      chunks: '3',
      polls: '4',
      retries: '1',
      ttftUncertaintyMs: '12.5',
      inProgressSeenMs: '1130',
      cold: 'false',
      error: '',
    });
    expect(b).toMatchObject({
      scheduledMs: '2000.25',
      sentMs: '2000.5',
      firstTokenMs: '3600.123',
      endMs: '3900.988',
      sendLagMs: '0.25', // 2000.5 - 2000.25
      ttftMs: '1599.623', // 3600.1234 - 2000.5 = 1599.6234
      e2eMs: '1900.488', // 3900.9876 - 2000.5 = 1900.4876
      tpotMs: '50.094', // (3800.5 - 3600.1234) / (5 - 1) = 50.09415
      overheadMs: '100.488', // 1900.4876 - 1500 - 300
      chunks: '2',
      cold: 'true',
    });
    expect(c).toMatchObject({
      outcome: 'http_error',
      httpStatus: '503',
      sendLagMs: '1',
      ttftMs: '',
      e2eMs: '50',
      tpotMs: '',
      delayMs: '',
      overheadMs: '',
      chunks: '0',
      retries: '3',
      cold: '',
      error: 'HTTP 503: "busy", try later',
    });
    expect(d).toMatchObject({
      outcome: 'not_sent',
      sentMs: '',
      sendLagMs: '',
      ttftMs: '',
      e2eMs: '',
      endMs: '5000',
      error: 'the run stopped',
    });
  });
});

describe('requests.csv from a run with answers held for known times', () => {
  let endpoint: FakeEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = undefined;
  });

  const FIRST_HOLD_MS = 150;
  const SECOND_HOLD_MS = 100;
  /** Rounding: the run clock keeps microseconds, the CSV 3 decimals per cell. */
  const ROUNDING_MS = 0.01;

  it('measures TTFT and E2E from the sent time, in their own columns', async () => {
    const item = (tokens: string[], output: number) => ({
      output: { choices: [{ tokens }], usage: { input: 5, output } },
    });
    const polls = new Map<string, number>();
    let jobs = 0;
    endpoint = await startFakeEndpoint((call): Reply | undefined => {
      if (call.route === '/run') return { status: 200, json: { id: `job-${jobs++}`, status: 'IN_QUEUE' } };
      const stream = /^\/stream\/(job-\d+)$/.exec(call.route);
      if (stream) {
        const id = stream[1] as string;
        const n = polls.get(id) ?? 0;
        polls.set(id, n + 1);
        // The first poll is held 150 ms and brings one token; the next, held 100 ms, two more and the end.
        if (n === 0)
          return { status: 200, afterMs: FIRST_HOLD_MS, json: { id, status: 'IN_PROGRESS', stream: [item(['a'], 1)] } };
        return {
          status: 200,
          afterMs: SECOND_HOLD_MS,
          json: { id, status: 'COMPLETED', stream: [item(['b', 'c'], 3)] },
        };
      }
      const status = /^\/status\/(job-\d+)$/.exec(call.route);
      if (status)
        return {
          status: 200,
          json: {
            id: status[1],
            status: 'COMPLETED',
            delayTime: 40,
            executionTime: 200,
            workerId: 'w1',
            output: [item(['a'], 1), item(['b', 'c'], 3)],
          },
        };
      return undefined;
    });
    const out = join(tempDir(), 'run');
    // Two arrivals 50 ms apart, one in flight at a time: the second waits for the first
    // (at least 250 ms), so its send lag is at least 200 ms.
    const scenario = writeScenario(`name: held
target: { endpoint: ${endpoint.endpointUrl} }
mode: stream
sampling_params: { max_tokens: 3 }
polling: { interval: 5ms, health: 0 }
load: { rate: 20, requests: 2, maxInFlight: 1 }
`);
    const result = await runCli(['run', scenario, '--out', out, '--quiet'], { env: { RUNPOD_API_KEY: 'test-key' } });
    expect(result.code, result.stderr).toBe(0);
    const { rows } = readCsv(out, 'requests.csv');
    expect(rows).toHaveLength(2);
    const bySeq = [...rows].sort((x, y) => Number(x.seq) - Number(y.seq));
    for (const row of bySeq) {
      const n = (name: string) => Number(row[name]);
      const label = `seq ${row.seq}`;
      expect(row, label).toMatchObject({
        outcome: 'ok',
        delayMs: '40',
        executionMs: '200',
        promptTokens: '5',
        outputTokens: '3',
        chunks: '2',
        cold: 'false',
      });
      // Each derived cell is its formula over the same row's times.
      expect(Math.abs(n('sendLagMs') - (n('sentMs') - n('scheduledMs'))), label).toBeLessThanOrEqual(ROUNDING_MS);
      expect(Math.abs(n('ttftMs') - (n('firstTokenMs') - n('sentMs'))), label).toBeLessThanOrEqual(ROUNDING_MS);
      expect(Math.abs(n('e2eMs') - (n('endMs') - n('sentMs'))), label).toBeLessThanOrEqual(ROUNDING_MS);
      expect(Math.abs(n('overheadMs') - (n('e2eMs') - 240)), label).toBeLessThanOrEqual(ROUNDING_MS);
      expect(Math.abs(n('tpotMs') - (n('lastTokenMs') - n('firstTokenMs')) / 2), label).toBeLessThanOrEqual(
        ROUNDING_MS,
      );
      // And the held answers bound them from below, whatever the machine's speed.
      expect(n('ttftMs'), label).toBeGreaterThanOrEqual(FIRST_HOLD_MS - ROUNDING_MS);
      expect(n('e2eMs') - n('ttftMs'), label).toBeGreaterThanOrEqual(SECOND_HOLD_MS - ROUNDING_MS);
      expect(n('lastTokenMs') - n('firstTokenMs'), label).toBeGreaterThanOrEqual(SECOND_HOLD_MS - ROUNDING_MS);
    }
    expect(Number(bySeq[1]?.sendLagMs)).toBeGreaterThanOrEqual(FIRST_HOLD_MS + SECOND_HOLD_MS - 50 - ROUNDING_MS);
  });
});
