// Thresholds through `podbench run`: evaluated as written, printed with their measured
// values, recorded in summary.json and report.html, exit 1 when one fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readSummary } from '../support/run-files.js';

const MATRIX = `name: thresholds
mode: stream
sampling_params: { max_tokens: 8 }
polling: { interval: 5ms, health: 0 }
load: { requests: 4 }
emulator: { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1, max: 1 }, generation: { eosProbability: 0 } }
thresholds:
  - errorRate < 1%
  - coldStarts.delayMs.p90 < 20s
matrix:
  load.concurrency: [1, 2]
`;

describe('thresholds in podbench run', () => {
  it('pass and fail as written, per variant, with a failing one making the exit code 1', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli(
      [
        'run',
        writeScenario(MATRIX),
        '--out',
        out,
        '--quiet',
        '--threshold',
        'e2eMs.p50 > 1ms',
        '--threshold',
        '[concurrency=2] e2eMs.p50 < 1ms',
      ],
      { timeoutMs: 90_000 },
    );
    expect(result.code, result.stderr).toBe(1);
    const summary = readSummary(out);
    const table = summary.thresholds!.map((t) => [t.expression, t.variant, t.passed]);
    expect(table).toEqual([
      ['errorRate < 1%', 'concurrency=1', true],
      ['errorRate < 1%', 'concurrency=2', true],
      ['coldStarts.delayMs.p90 < 20s', 'concurrency=1', true],
      ['coldStarts.delayMs.p90 < 20s', 'concurrency=2', true],
      ['e2eMs.p50 > 1ms', 'concurrency=1', true],
      ['e2eMs.p50 > 1ms', 'concurrency=2', true],
      ['[concurrency=2] e2eMs.p50 < 1ms', 'concurrency=2', false],
    ]);
    const failed = summary.thresholds!.find((t) => !t.passed)!;
    expect(failed.value).toBe(summary.variants.find((v) => v.name === 'concurrency=2')!.metrics.e2eMs.p50);
    expect(summary.run.thresholds).toHaveLength(4);
    expect(result.stdout).toMatch(/FAIL\s+\[concurrency=2\] e2eMs\.p50 < 1ms\s+concurrency=2\s+\d/);
    expect(result.stdout).toContain('checks: thresholds: 1 of 7 thresholds failed');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('1 of 7 thresholds failed');
    expect(readFileSync(join(out, 'checks.junit.xml'), 'utf8')).toContain('tests="7" failures="1"');
    // Rebuilding the reports checks the thresholds again: the same verdict and exit code.
    const rebuilt = await runCli(['report', out]);
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.stdout).toMatch(/FAIL\s+\[concurrency=2\] e2eMs\.p50 < 1ms\s+concurrency=2\s+\d/);
  });

  it('exits 0 when every threshold holds, and podbench report keeps them', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli(
      ['run', writeScenario(MATRIX), '--out', out, '--quiet', '--threshold', 'warm.e2eMs.p95 < 1m'],
      { timeoutMs: 90_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(readSummary(out).thresholds!.every((t) => t.passed)).toBe(true);
    const rebuilt = await runCli(['report', out]);
    expect(rebuilt.code).toBe(0);
    expect(readSummary(out).thresholds).toHaveLength(6);
  });
});
