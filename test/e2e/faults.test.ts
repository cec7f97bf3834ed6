// Faults are data: with every fault the emulator can inject switched on, a run completes,
// classifies every request, and the accounting adds up: each scheduled request has exactly
// one record, whatever retries it took.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../../src/core/record.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readRecords, readSummary } from '../support/run-files.js';

const FAULTY = `name: faults
sampling_params: { max_tokens: 12 }
polling: { interval: 5ms, health: 0 }
retry: { maxRetries: 2, baseDelay: 2ms, maxDelay: 10ms }
timeouts: { request: 5s, http: 2s }
load: { concurrency: 6, requests: 40 }
emulator:
  timeScale: 50
  executionTimeout: 3s
  workers: { min: 2, max: 2, concurrency: 8 }
  rateLimits: { enabled: false }
  faults:
    http429: 0.05
    http5xx: 0.05
    reset: 0.03
    slow: 0.03
    slowMs: 2s
    malformed: 0.03
    failed: 0.05
    timeout: 0.05
    crash: 0.01
    stall: 0.03
matrix:
  mode: [sync, async, stream, openai, openai-stream]
`;

describe('a run under every fault kind', () => {
  it('records each scheduled request once and the counts add up', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli(['run', writeScenario(FAULTY), '--out', out, '--quiet'], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(out);
    const summary = readSummary(out);
    // One record per sequence number, no gaps, no duplicates.
    const seqs = records.map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const jobIds = records.flatMap((r) => (r.jobId ? [r.jobId] : []));
    expect(new Set(jobIds).size).toBe(jobIds.length);
    for (const v of summary.variants) {
      const byOutcome = Object.values(v.counts.byOutcome).reduce((a, b) => a + (b ?? 0), 0);
      expect(byOutcome, v.name).toBe(v.counts.scheduled);
      expect(v.counts.scheduled, v.name).toBe(40);
      expect(
        v.counts.ok + v.counts.failed + (v.counts.byOutcome.aborted ?? 0) + (v.counts.byOutcome.not_sent ?? 0),
        v.name,
      ).toBe(v.counts.scheduled);
      for (const outcome of Object.keys(v.counts.byOutcome)) expect(OUTCOMES).toContain(outcome);
    }
    // The faults showed up, and were told apart.
    const seen = new Set(records.map((r) => r.outcome));
    for (const outcome of ['ok', 'job_failed', 'job_timed_out']) expect(seen, [...seen].join()).toContain(outcome);
    expect(records.some((r) => r.retries > 0)).toBe(true);
    for (const r of records) {
      if (r.outcome !== 'ok') expect(r.error, `${r.variant} #${r.seq} ${r.outcome}`).toBeTruthy();
      if (r.outcome === 'http_error') expect(r.httpStatus).toBeGreaterThanOrEqual(400);
    }
  });
});
