// A crash or kill -9 mid-run leaves a results.ndjson that `podbench report` can read; the
// rebuilt reports say the run was incomplete (exit 3), never that it ran clean.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempDir, writeScenario } from '../support/cli.js';
import { readSummary } from '../support/run-files.js';

describe('kill -9 during a run', () => {
  it('leaves run.json and results.ndjson that podbench report turns into reports', async () => {
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(`name: killed
mode: stream
sampling_params: { max_tokens: 8 }
polling: { interval: 5ms, health: 20ms }
load: { concurrency: 8, duration: 60s }
emulator: { timeScale: 50, workers: { min: 2, max: 2 } }
`);
    const child = spawn(process.execPath, [BIN, 'run', scenario, '--out', out, '--quiet'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const results = join(out, 'results.ndjson');
    const deadline = Date.now() + 20_000;
    while (!(existsSync(results) && readFileSync(results, 'utf8').split('\n').length > 20)) {
      if (Date.now() > deadline) throw new Error('no records appeared');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const lines = readFileSync(results, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const report = await runCli(['report', out]);
    expect(report.code, report.stderr).toBe(3);
    expect(report.stderr).toMatch(/incomplete: an unknown number of scheduled, \d+ recorded/);
    const summary = readSummary(out);
    const parsed = lines.filter((l) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    }).length;
    expect(summary.variants[0]!.counts.scheduled + summary.variants[0]!.counts.warmup).toBe(parsed);
    if (parsed < lines.length) expect(report.stderr).toMatch(/skipped: not valid JSON/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
