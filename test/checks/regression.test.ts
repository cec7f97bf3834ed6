// Acceptance: a run on the emulator as configured, one on a deliberately slower emulator;
// compare flags the slower one as worse on the right metrics and exits 1, and a run
// compared with itself exits 0. Also the one-step --baseline / --save-baseline workflow.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checks/report.js';
import type { RunStats } from '../../src/checks/run-stats.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { CHECK_SCENARIO, SLOWED_METRICS, SLOWER } from './scenario.js';

const dir = tempDir('podbench-regression-');
const scenario = writeScenario(CHECK_SCENARIO);
const base = join(dir, 'base');
const slow = join(dir, 'slow');
const baselineFile = join(dir, 'baseline.json');
let slowRun: Awaited<ReturnType<typeof runCli>>;

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

describe('regression checks against a baseline', () => {
  beforeAll(async () => {
    const first = await runCli(['run', scenario, '--out', base, '--quiet', '--save-baseline', baselineFile], {
      timeoutMs: 90_000,
    });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    slowRun = await runCli(
      [
        'run',
        scenario,
        '--out',
        slow,
        '--quiet',
        ...SLOWER,
        '--baseline',
        baselineFile,
        '--save-baseline',
        join(dir, 'not-written.json'),
      ],
      {
        timeoutMs: 90_000,
      },
    );
  }, 180_000);

  it('--save-baseline writes the statistics compare needs', () => {
    const stats = readJson<RunStats>(baselineFile);
    expect(stats).toMatchObject({
      format: 'podbench-stats',
      formatVersion: 1,
      schemaVersion: 1,
      scenario: { name: 'ci-check' },
      runs: [{}],
    });
    expect(stats.variants[0]?.metrics['warm.e2eMs.p50']).toMatchObject({ n: 1 });
  });

  it('--baseline flags the slower emulator as worse on the right metrics and exits 1', () => {
    expect(slowRun.code, slowRun.stderr).toBe(1);
    const report = readJson<CheckReport>(join(slow, 'checks.json'));
    const verdicts = Object.fromEntries(report.comparison!.rows.map((r) => [r.metric, r.verdict]));
    for (const metric of SLOWED_METRICS) expect(verdicts[metric], metric).toBe('worse');
    expect(verdicts.errorRate).toBe('same');
    expect(report.comparison!.rows.every((r) => r.method === 'point')).toBe(true);
    expect(slowRun.stdout).toMatch(/WORSE\s+default\s+warm\.e2eMs\.p50/);
    expect(readFileSync(join(slow, 'checks.md'), 'utf8')).toContain('| 🔴 worse | default | `warm.e2eMs.p50` |');
    expect(readFileSync(join(slow, 'checks.junit.xml'), 'utf8')).toMatch(
      /<testcase classname="podbench\.ci-check\.compare\.default" name="warm\.e2eMs\.p50">\s*<failure type="regression"/,
    );
  });

  it('does not let a regression become the new baseline', () => {
    expect(existsSync(join(dir, 'not-written.json'))).toBe(false);
    expect(slowRun.stderr).toContain('was not written (a regression must not become the baseline)');
  });

  it('podbench compare: the slower run is worse (exit 1) in every output format', async () => {
    const junit = join(dir, 'compare.xml');
    const summaryFile = join(dir, 'step-summary.md');
    const result = await runCli(['compare', base, slow, '--junit', junit, '--format', 'json'], {
      env: { GITHUB_STEP_SUMMARY: summaryFile },
    });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.comparison!.regressions).toBeGreaterThanOrEqual(SLOWED_METRICS.length);
    expect(readFileSync(junit, 'utf8')).toContain('type="regression"');
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/^### ❌ podbench checks: ci-check/);
  });

  it('the same run compared with itself exits 0, whichever file stands for it', async () => {
    for (const [b, c] of [
      [base, base],
      [baselineFile, base],
      [join(base, 'summary.json'), baselineFile],
    ] as const) {
      const result = await runCli(['compare', b, c]);
      expect(result.code, `${b} vs ${c}: ${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('no regression');
      expect(result.stdout).not.toMatch(/WORSE|better/);
    }
  });

  it('a wider band can accept the slower run', async () => {
    const result = await runCli(['compare', base, slow, '--tolerance', '*=2000%', '--tolerance', 'errorRate=1pp']);
    expect(result.code, result.stdout).toBe(0);
  });
});
