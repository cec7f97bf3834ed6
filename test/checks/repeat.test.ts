// --repeat N: one folder with run-1..run-N and aggregate.json (mean and 95% interval per
// metric); compare uses the intervals when both sides have them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checks/report.js';
import type { RunStats } from '../../src/checks/run-stats.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { ALLOW, CHECK_SCENARIO, SLOWED_METRICS, SLOWER } from './scenario.js';

const dir = tempDir('podbench-repeat-');
const scenario = writeScenario(CHECK_SCENARIO);
const base = join(dir, 'base');
const slow = join(dir, 'slow');
let slowRun: Awaited<ReturnType<typeof runCli>>;

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

describe('podbench run --repeat', () => {
  beforeAll(async () => {
    const first = await runCli(
      ['run', scenario, '--out', base, '--quiet', '--repeat', '3', '--threshold', 'errorRate < 1%'],
      { timeoutMs: 120_000 },
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    slowRun = await runCli(
      ['run', scenario, '--out', slow, '--quiet', '--repeat', '3', ...SLOWER, ALLOW, '--baseline', base],
      { timeoutMs: 120_000 },
    );
  }, 240_000);

  it('keeps every run in its own folder and writes the aggregate beside them', () => {
    for (const i of [1, 2, 3]) expect(existsSync(join(base, `run-${i}`, 'summary.json')), `run-${i}`).toBe(true);
    const stats = readJson<RunStats>(join(base, 'aggregate.json'));
    expect(stats.runs).toHaveLength(3);
    const e2e = stats.variants[0]!.metrics['warm.e2eMs.p50']!;
    expect(e2e.n).toBe(3);
    expect(e2e.values).toHaveLength(3);
    expect(e2e.mean).toBeCloseTo(e2e.values.reduce((a, b) => a + b, 0) / 3, 9);
    expect(e2e.ci![0]).toBeLessThanOrEqual(e2e.mean);
    expect(e2e.ci![1]).toBeGreaterThanOrEqual(e2e.mean);
  });

  it('checks thresholds against the mean of the runs', () => {
    const stats = readJson<RunStats>(join(base, 'aggregate.json'));
    expect(stats.thresholds).toEqual([
      expect.objectContaining({ expression: 'errorRate < 1%', value: 0, runs: 3, passed: true }),
    ]);
  });

  it('compares with the intervals and flags the slower emulator (exit 1)', () => {
    expect(slowRun.code, slowRun.stderr).toBe(1);
    const report = readJson<CheckReport>(join(slow, 'checks.json'));
    for (const metric of SLOWED_METRICS) {
      const row = report.comparison!.rows.find((r) => r.metric === metric)!;
      expect(row.method, metric).toBe('runs');
      expect(row.verdict, metric).toBe('worse');
      expect(row.reason, metric).toMatch(/95% interval of the change .* excludes 0/);
    }
    expect(report.comparison!.baseline.runs).toBe(3);
    expect(slowRun.stdout).toContain('3 runs: ');
    // Each run's page leads with the comparison of the repeat it belongs to.
    for (const i of [1, 2, 3])
      expect(readFileSync(join(slow, `run-${i}`, 'report.html'), 'utf8'), `run-${i}`).toContain(
        '<section id="verdict"',
      );
  });

  it("keeps every run's requests in aggregate.json, so it alone serves as a baseline", () => {
    const stats = readJson<RunStats>(join(base, 'aggregate.json'));
    expect(stats.formatVersion).toBe(2);
    expect(stats.variants[0]!.requests).toHaveLength(3);
    for (const table of stats.variants[0]!.requests!) expect(table.total).toBe(44);
  });

  it('compare reads a repeat folder through its aggregate.json, and it equals itself', async () => {
    const result = await runCli(['compare', base, base, '--format', 'markdown']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`(3 runs) → current \`${base}\` (3 runs)`);
  });
});
