// The check outputs, byte for byte. Any change to a renderer (or to the numbers behind it)
// fails here; regenerate on purpose with UPDATE_GOLDEN=1 npx vitest run test/checks and
// review the diff of test/checks/golden/.
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { compareStats } from '../../src/checks/compare.js';
import { renderConsole } from '../../src/checks/render-console.js';
import { renderJunit } from '../../src/checks/render-junit.js';
import { renderMarkdown } from '../../src/checks/render-markdown.js';
import { renderJson, type CheckReport } from '../../src/checks/report.js';
import { statsVariants } from '../../src/checks/run-stats.js';
import { evaluateThresholds, parseThresholds } from '../../src/checks/thresholds.js';
import { compareSettings } from '../../src/checks/tolerance.js';
import { expectGolden as expectGoldenFile } from '../support/golden.js';
import { makeStats, repeatPair, syntheticStats } from './fixtures.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));

function expectGolden(name: string, actual: string): void {
  expectGoldenFile(GOLDEN, name, actual, 'test/checks');
}

function thresholds(texts: string[], stats: ReturnType<typeof makeStats>) {
  return evaluateThresholds(parseThresholds(texts.map((text) => ({ text, origin: 'test' }))), statsVariants(stats));
}

/** Three runs a side, two variants: regressions, an improvement, noise, n/a, thresholds. */
function repeatReport(): CheckReport {
  const { baseline, current } = repeatPair();
  const labels = { baseline: 'baselines/nightly.json', current: 'reports/20261127-020000-nightly' };
  return {
    scenario: 'nightly',
    subject: labels.current,
    thresholds: thresholds(
      ['errorRate < 5%', '[concurrency=1] warm.ttftMs.p95 < 500ms', 'coldStarts.delayMs.p90 < 20s'],
      current,
    ),
    comparison: compareStats(baseline, current, compareSettings({ toleranceFlags: ['warm.ttftMs.p95=20%'] }), labels),
  };
}

/** One run, thresholds only, with names that need escaping in Markdown and XML. */
function singleRunReport(): CheckReport {
  const stats = makeStats({
    'stop=["</s>"] format=a|b': { 'ttftMs.p95': [912.4], errorRate: [0], outputTokensPerSec: [310.25] },
    'stop=[] format=a|b': { 'ttftMs.p95': [640], errorRate: [0.02], outputTokensPerSec: [295.5] },
  });
  return {
    scenario: 'input & "formats"',
    subject: 'reports/20261127-020000-input-formats',
    thresholds: thresholds(
      ['ttftMs.p95 < 800ms', 'errorRate <= 1%', 'outputTokensPerSec > 300', 'ttftMs.p95 < 2s', 'warm.e2eMs.p95 < 1s'],
      stats,
    ).map(({ runs: _runs, ci: _ci, ...t }) => t),
  };
}

/** One synthetic run a side with its requests (the bootstrap), 15% slower; thresholds on the current run. */
async function singleCompareReport(): Promise<CheckReport> {
  const baseline = await syntheticStats([{ seed: 11, requests: 80, e2eMs: 2000, concurrency: 8 }]);
  const current = await syntheticStats([{ seed: 12, requests: 80, e2eMs: 2300, concurrency: 8, errorRate: 0.0125 }]);
  const labels = { baseline: 'baseline.json', current: 'reports/ci' };
  return {
    scenario: 'nightly',
    subject: labels.current,
    thresholds: thresholds(['warm.e2eMs.p95 < 3s', 'errorRate < 1%'], current),
    comparison: compareStats(baseline, current, compareSettings({}), labels),
  };
}

describe('golden check outputs', () => {
  it('one run a side compared by the bootstrap: Markdown, JUnit, console', async () => {
    const report = await singleCompareReport();
    expectGolden('single-compare.md', renderMarkdown(report));
    expectGolden('single-compare.junit.xml', renderJunit(report));
    expectGolden('single-compare.console.txt', renderConsole(report));
  });

  it('repeats compared with a baseline: Markdown, JUnit, console, JSON', () => {
    const report = repeatReport();
    expectGolden('repeat-compare.md', renderMarkdown(report));
    expectGolden('repeat-compare.junit.xml', renderJunit(report));
    expectGolden('repeat-compare.console.txt', renderConsole(report));
    expectGolden('repeat-compare.json', renderJson(report));
  });

  it('a single run with thresholds only: Markdown, JUnit, console', () => {
    const report = singleRunReport();
    expectGolden('thresholds.md', renderMarkdown(report));
    expectGolden('thresholds.junit.xml', renderJunit(report));
    expectGolden('thresholds.console.txt', renderConsole(report));
  });
});
