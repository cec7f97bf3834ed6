// `podbench report` on run folders that a crash, an older podbench or a hand edit left: it
// checks every line, skips and counts what is not a record, never loops or throws, and says
// when a run ended without its summary (exit 3). Old folders with one not_sent record per
// unsent request are reported as they always were.
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readSummary } from '../support/run-files.js';
import { PROCESS_SLACK_MS, expectOneLine, runPodbench } from './support.js';

// Each test starts podbench (and some an emulator) as a process: seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let template: string;
beforeAll(async () => {
  // One real run, copied and damaged by each test.
  template = join(tempDir(), 'run');
  const scenario = writeScenario(`name: reader
mode: stream
sampling_params: { max_tokens: 8 }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 2, requests: 6 }
emulator: { timeScale: 50, workers: { min: 1, max: 1 } }
`);
  const result = await runCli(['run', scenario, '--out', template, '--quiet']);
  expect(result.code, result.stderr).toBe(0);
}, 60_000);

function copyRun(): string {
  const dir = join(tempDir(), 'copy');
  cpSync(template, dir, { recursive: true });
  return dir;
}

describe('podbench report on damaged run folders', () => {
  it('skips a line without endMs (a NaN bound once looped forever) and a null chunk, and says so', async () => {
    const dir = copyRun();
    const lines = readFileSync(join(dir, 'results.ndjson'), 'utf8').trimEnd().split('\n');
    const first = JSON.parse(lines[0] as string);
    const noEnd = { ...first, seq: 100 };
    delete noEnd.endMs;
    const nullChunk = { ...first, seq: 101, chunks: [null, [1, 2]], delayMs: -3, executionMs: null };
    appendFileSync(join(dir, 'results.ndjson'), `${JSON.stringify(noEnd)}\n${JSON.stringify(nullChunk)}\n"a string"\n`);
    const run = await runPodbench(['report', dir]);
    expect(run.wallMs).toBeLessThan(PROCESS_SLACK_MS);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/line 7 skipped: not a record: endMs is not a number/);
    expect(run.stderr).toMatch(/line 9 skipped: not a JSON object/);
    expect(run.stderr).toMatch(/chunks left out of 1 record/);
    expect(run.stderr).toMatch(/delayMs left out of 1 record/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    const summary = readSummary(dir);
    // The six requests, and the repaired seventh: its bad fields out of every statistic.
    expect(summary.variants[0]?.counts.scheduled).toBe(7);
    expect(summary.variants[0]?.metrics.delayMs.min).toBeGreaterThanOrEqual(0);
  });

  it('a killed run (no end in run.json) is reported, and called incomplete with exit 3', async () => {
    const dir = copyRun();
    const meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    delete meta.durationMs;
    writeFileSync(join(dir, 'run.json'), JSON.stringify(meta));
    const lines = readFileSync(join(dir, 'results.ndjson'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'results.ndjson'), `${lines.slice(0, 4).join('\n')}\n${(lines[4] as string).slice(0, 30)}`);
    const run = await runPodbench(['report', dir]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/incomplete: 6 scheduled, 4 recorded/);
    expect(run.stderr).toMatch(/torn last line/);
  });

  it('a run.json that is not a run is one line, exit 2', async () => {
    const dir = copyRun();
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ schemaVersion: 1, variants: 'nope' }));
    const run = await runPodbench(['report', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/run\.json: no scenario; the file was edited or damaged/);
    expectOneLine(run.stderr);
  });

  it('old folders with one not_sent record per unsent request still count them', async () => {
    const dir = copyRun();
    const first = JSON.parse(readFileSync(join(dir, 'results.ndjson'), 'utf8').split('\n')[0] as string);
    const notSent = (seq: number) => ({
      seq,
      variant: first.variant,
      phase: 'measure',
      mode: first.mode,
      outcome: 'not_sent',
      error: 'the run stopped before this request was sent',
      scheduledMs: 10,
      endMs: 10,
      tokenSource: 'none',
      polls: 0,
      retries: 0,
    });
    appendFileSync(join(dir, 'results.ndjson'), `${JSON.stringify(notSent(50))}\n${JSON.stringify(notSent(51))}\n`);
    const run = await runPodbench(['report', dir]);
    expect(run.code, run.stderr).toBe(0);
    const counts = readSummary(dir).variants[0]?.counts;
    expect(counts).toMatchObject({ scheduled: 8, sent: 6, byOutcome: { ok: 6, not_sent: 2 } });
  });

  it('counts in run.json (how runs now record unsent requests) add to the same counts', async () => {
    const dir = copyRun();
    const meta = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    meta.variants[0].notSent = [
      { phase: 'measure', reason: 'k6_dropped', count: 1000 },
      { phase: 'warmup', reason: 'k6_dropped', count: 5 },
    ];
    writeFileSync(join(dir, 'run.json'), JSON.stringify(meta));
    const run = await runPodbench(['report', dir]);
    expect(run.code, run.stderr).toBe(0);
    const counts = readSummary(dir).variants[0]?.counts;
    expect(counts).toMatchObject({
      scheduled: 1006,
      sent: 6,
      warmup: 5,
      byOutcome: { ok: 6, not_sent: 1000 },
      notSentByReason: { k6_dropped: 1000 },
    });
    // No row per unsent request: requests.csv has the six that were sent.
    expect(readFileSync(join(dir, 'requests.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(7);
  });
});
