// Acceptance: a run on the emulator as configured, one on a deliberately slower emulator;
// compare flags the slower one as worse on the right metrics and exits 1, and a run
// compared with itself exits 0. Also the one-step --baseline / --save-baseline workflow.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checks/report.js';
import type { RunStats } from '../../src/checks/run-stats.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { ALLOW, CHECK_SCENARIO, SLOWED_METRICS, SLOWER } from './scenario.js';

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
        ALLOW,
        '--baseline',
        baselineFile,
        '--save-baseline',
        join(dir, 'not-written.json'),
        // The output flags of compare, on run: JUnit alone on stdout, JSON into a file.
        '--format',
        'junit',
        '--json',
        join(dir, 'slow-checks.json'),
      ],
      {
        timeoutMs: 120_000,
      },
    );
  }, 240_000);

  it('--save-baseline writes the statistics compare needs, every request included', () => {
    const stats = readJson<RunStats>(baselineFile);
    expect(stats).toMatchObject({
      format: 'podbench-stats',
      formatVersion: 2,
      schemaVersion: 1,
      scenario: { name: 'ci-check' },
      runs: [{}],
    });
    const variant = stats.variants[0]!;
    expect(variant.metrics['warm.e2eMs.p50']).toMatchObject({ n: 1 });
    // One request table per run: a row per measured request, so a baseline file alone is enough.
    expect(variant.requests).toHaveLength(1);
    expect(variant.requests![0]!.total).toBe(44);
    expect(variant.requests![0]!.columns.e2eMs).toHaveLength(44);
    // What was measured, to refuse another workload: the emulator's settings among it.
    expect(variant.effective).toMatchObject({
      'target.kind': 'emulator',
      'emulator.generation.stepMs': 40,
      mode: 'stream',
    });
  });

  it('--baseline flags the slower emulator as worse on the right metrics and exits 1', () => {
    expect(slowRun.code, slowRun.stderr).toBe(1);
    const report = readJson<CheckReport>(join(slow, 'checks.json'));
    const verdicts = Object.fromEntries(report.comparison!.rows.map((r) => [r.metric, r.verdict]));
    for (const metric of SLOWED_METRICS) expect(verdicts[metric], metric).toBe('worse');
    expect(verdicts.errorRate).toBe('same');
    for (const metric of SLOWED_METRICS) {
      const row = report.comparison!.rows.find((r) => r.metric === metric)!;
      expect(row.method, metric).toBe('bootstrap');
      expect(row.changeCi![0] > 0 || row.changeCi![1] < 0, metric).toBe(true);
    }
    // The emulator setting that made it slower is named, not silently compared.
    expect(report.comparison!.notes.join('\n')).toContain('emulator.generation.stepMs 40 → 200');
    // --format junit: stdout is the JUnit XML alone; the run's own table went to stderr.
    expect(slowRun.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(slowRun.stdout).toMatch(
      /<testcase classname="podbench\.ci-check\.compare\.default" name="warm\.e2eMs\.p50">\s*<failure type="regression"/,
    );
    expect(slowRun.stderr).toContain('reports: ');
    expect(readJson<CheckReport>(join(dir, 'slow-checks.json'))).toEqual(report);
    expect(readFileSync(join(slow, 'checks.md'), 'utf8')).toContain('| 🔴 worse | default | `warm.e2eMs.p50` |');
    expect(readFileSync(join(slow, 'checks.junit.xml'), 'utf8')).toMatch(
      /<testcase classname="podbench\.ci-check\.compare\.default" name="warm\.e2eMs\.p50">\s*<failure type="regression"/,
    );
  });

  it("leads the run's report.html with the comparison, in the console's units", () => {
    const html = readFileSync(join(slow, 'report.html'), 'utf8');
    const comparison = html.indexOf('<section id="verdict"');
    expect(comparison).toBeGreaterThan(0);
    expect(comparison).toBeLessThan(html.indexOf('<section id="headline">'));
    const section = html.slice(comparison, html.indexOf('</section>', comparison));
    expect(section).toMatch(/regressions? in (\d+ of )?\d+ comparisons/);
    expect(section).toMatch(
      /<span class="badge bad">WORSE<\/span><\/td><td class="left">default<\/td><td class="left"><code>warm\.e2eMs\.p50<\/code>/,
    );
    expect(section).toMatch(/\d ms … \+[\d,.]+ ms/); // the 95% interval of a change, formatted as the console formats it
    // The baseline run had no baseline: its page has no comparison.
    expect(readFileSync(join(base, 'report.html'), 'utf8')).not.toContain('<section id="verdict"');
  });

  it('podbench report rebuilds the page with its comparison (from checks.json)', async () => {
    const before = readFileSync(join(slow, 'report.html'), 'utf8');
    const rebuilt = await runCli(['report', slow]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const after = readFileSync(join(slow, 'report.html'), 'utf8');
    const section = (html: string) =>
      html.slice(html.indexOf('<section id="verdict"'), html.indexOf('<section id="headline">'));
    expect(section(after)).toContain('Compared with the baseline');
    expect(section(after)).toBe(section(before));
  });

  it('does not let a regression become the new baseline', () => {
    expect(existsSync(join(dir, 'not-written.json'))).toBe(false);
    expect(slowRun.stderr).toContain('was not written (a regression must not become the baseline)');
  });

  it('podbench compare: the slower run is worse (exit 1) in every output format', async () => {
    const junit = join(dir, 'compare.xml');
    const summaryFile = join(dir, 'step-summary.md');
    const refused = await runCli(['compare', base, slow]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('emulator.generation.stepMs 40 → 200');
    const result = await runCli(['compare', base, slow, ALLOW, '--junit', junit, '--format', 'json'], {
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
    const result = await runCli([
      'compare',
      base,
      slow,
      ALLOW,
      '--tolerance',
      '*=2000%',
      '--tolerance',
      'errorRate=1pp',
    ]);
    expect(result.code, result.stdout).toBe(0);
  });
});
