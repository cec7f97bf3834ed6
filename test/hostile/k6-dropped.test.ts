// k6 drops iterations it cannot start in time (no free VU, or its maxDuration reached): they
// are requests the plan scheduled and never sent. podbench counts them per variant and reason
// in run.json, never one record each: the run from the issue (--concurrency 64 --requests
// 10000000 --duration ...) once wrote millions of not_sent records and died. Now
// results.ndjson holds the requests that were sent, and scheduled = ok + failed + aborted +
// not sent still holds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readRecords, readSummary } from '../support/run-files.js';
import { tempDir, writeScenario } from '../support/cli.js';
import { requireK6, skipWithoutK6 } from '../engines/support.js';
import { PROCESS_SLACK_MS, SLACK_MS, runDurationMs, runPodbench } from './support.js';

vi.setConfig({ testTimeout: 120_000 });

describe.skipIf(skipWithoutK6)('k6 dropped iterations', () => {
  it('are counted per reason, not recorded one by one', async () => {
    const k6 = requireK6();
    const durationMs = 3000;
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(`name: dropped
mode: sync
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
emulator: { timeScale: 50, workers: { min: 2, max: 2 }, rateLimits: { enabled: false } }
load: { concurrency: 64, requests: 10000000, duration: ${durationMs}ms }
`);
    const run = await runPodbench(['run', scenario, '--out', out, '--quiet', '--engine', 'k6', '--grace', '1s'], {
      env: { K6_BINARY: k6 },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(runDurationMs(out)).toBeLessThan(durationMs + 30_000 + SLACK_MS); // k6's start and its graceful stop
    expect(run.wallMs).toBeLessThan(durationMs + 30_000 + PROCESS_SLACK_MS);
    const records = readRecords(out);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.outcome !== 'not_sent')).toBe(true);
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const dropped = (meta.variants[0].notSent ?? []) as Array<{ phase: string; reason: string; count: number }>;
    const measured = dropped.filter((d) => d.phase === 'measure');
    expect(measured.every((d) => d.reason === 'k6_dropped')).toBe(true);
    const droppedCount = measured.reduce((n, d) => n + d.count, 0);
    expect(droppedCount).toBeGreaterThan(1_000_000);
    const counts = readSummary(out).variants[0]!.counts;
    expect(counts.byOutcome.not_sent).toBe(droppedCount);
    expect(counts.scheduled).toBe(counts.sent + droppedCount);
    expect(counts.scheduled).toBe(counts.ok + counts.failed + (counts.byOutcome.aborted ?? 0) + droppedCount);
    // The scheduled requests a plan never sent are no rows either.
    expect(readFileSync(join(out, 'requests.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(records.length + 1);
    expect(run.maxRssMb).toBeLessThan(600);
  });
});
