// report.html of real runs in Chromium: quick, a capacity sweep, a stream tuning run, a
// 12-variant matrix and a run compared with a baseline, each made by the CLI on a
// time-scaled emulator with few requests. Every chart must draw a line for every variant
// that has data (each line is drawn alone and must change pixels, so a line hidden under
// another or a single value that draws nothing fails), and no legend may show a
// placeholder with the cursor off the charts. Screenshots land in reports/test-artifacts/.
//
// Needs /usr/bin/chromium: skipped with a note without it, a failure under CI=true.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/html/index.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { CHROMIUM_INSTALL_HINT, CHROMIUM_PATH, openReport, type OpenedPage } from './browser.js';

const ARTIFACTS = fileURLToPath(new URL('../../reports/test-artifacts/', import.meta.url));
const hasChromium = existsSync(CHROMIUM_PATH);
const inCi = process.env.CI === 'true';
if (!hasChromium && !inCi) console.warn(`report.html run-page tests SKIPPED: they need ${CHROMIUM_INSTALL_HINT}.`);

const FAST = ['--quiet', '--set', 'emulator.timeScale=10'];

/** 12 variants: 2 concurrencies × 3 output lengths × 2 modes, 3 requests each. */
const MATRIX = `name: twelve
mode: stream
sampling_params: { max_tokens: 8, ignore_eos: true }
polling: { interval: 20ms, health: 100ms }
load: { requests: 3 }
emulator: { workers: { min: 1, max: 1 }, generation: { stepMs: 5 } }
matrix:
  load.concurrency: [1, 2]
  sampling_params.max_tokens: [4, 8, 12]
  mode: [stream, sync]
`;

const BASELINE = `name: ci-check
mode: stream
sampling_params: { max_tokens: 16, ignore_eos: true }
polling: { interval: 20ms, health: 100ms }
load: { requests: 6, warmup: 1 }
thresholds: ["errorRate < 1%"]
emulator: { workers: { min: 1, max: 1 }, generation: { stepMs: 5 } }
matrix:
  load.concurrency: [1, 2]
`;

/** The variants with data in each per-variant chart, from the data the page embeds. */
function variantsWithData(data: ReportData): Record<string, number[]> {
  const having = (list: Array<{ count: number }>) => list.flatMap((c, i) => (c.count > 0 ? [i] : []));
  const rows = (table: Array<Array<number | null>>) =>
    table.flatMap((row, i) => (row.some((v) => v !== null) ? [i] : []));
  const out: Record<string, number[]> = {
    'chart-ttft': having(data.distributions.ttftMs),
    'chart-e2e': having(data.distributions.e2eMs),
    'chart-chunk-tokens': having(data.streaming.chunkTokens),
    'chart-chunk-gaps': having(data.streaming.chunkGapMs),
    'chart-polls': having(data.streaming.polls),
    'chart-inflight': rows(data.overTime.inFlight),
    'chart-completions': rows(data.overTime.completionsPerSec),
    'chart-tokens': rows(data.overTime.outputTokensPerSec),
    'chart-errors': rows(data.overTime.errorsPerSec),
    'chart-cold': data.coldStarts.flatMap((c, i) => (c.cold.length + c.warm.length > 0 ? [i] : [])),
  };
  if (data.warmDistributions) {
    out['chart-ttft-warm'] = having(data.warmDistributions.ttftMs);
    out['chart-e2e-warm'] = having(data.warmDistributions.e2eMs);
  }
  if (data.context?.tuning) out['chart-tuning'] = data.context.tuning.map((t) => t.variant);
  return out;
}

describe.skipIf(!hasChromium && !inCi)('report.html of real runs in Chromium', () => {
  const root = tempDir('podbench-pages-');
  const dirs: Record<string, string> = {};
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    if (!hasChromium)
      throw new Error(
        `CI=true and no browser: the report page tests need ${CHROMIUM_INSTALL_HINT}; .ci/run should have installed it`,
      );
    mkdirSync(ARTIFACTS, { recursive: true });
    const run = async (name: string, args: string[]) => {
      dirs[name] = join(root, name);
      const result = await runCli([...args, '--out', dirs[name] as string], { timeoutMs: 240_000 });
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
    };
    // One after another: the machine is small and shared.
    await run('quick', ['run', 'quick', '--requests', '16', ...FAST]);
    await run('capacity', [
      'run',
      'capacity',
      '--requests',
      '6',
      '--set',
      'sweep.max=8',
      '--set',
      'sweep.refine=1',
      ...FAST,
    ]);
    await run('tuning', ['run', 'stream-batch-tuning', '--requests', '4', ...FAST]);
    await run('matrix', ['run', writeScenario(MATRIX), ...FAST]);
    const baseline = join(root, 'baseline.json');
    const ci = writeScenario(BASELINE);
    await run('first', ['run', ci, '--save-baseline', baseline, ...FAST]);
    // Two runs of a noisy emulator: a wide band, so the comparison passes and only the page is judged.
    await run('baseline', ['run', ci, '--baseline', baseline, '--tolerance', '*=1000%', ...FAST]);
  }, 600_000);

  afterAll(async () => {
    for (const page of opened) await page.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['quick', 1],
    ['capacity', 3],
    ['tuning', 9],
    ['matrix', 12],
    ['baseline', 2],
  ] as const)('%s: every chart draws every variant with data, every legend shows values', async (name, variants) => {
    const page = await openReport(join(dirs[name] as string, 'report.html'));
    opened.push(page);
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([page.url]);
    const html = readFileSync(join(dirs[name] as string, 'report.html'), 'utf8');
    const data = JSON.parse(
      /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? 'null',
    ) as ReportData;
    expect(data.variants.length).toBeGreaterThanOrEqual(variants);

    const series = await page.series();
    // Every line with a value draws something of its own.
    for (const s of series.filter((s) => s.values > 0))
      expect(s.pixels, `${s.chart}: "${s.label}" draws nothing`).toBeGreaterThan(3);
    // Every variant with data has such a line on each per-variant chart.
    for (const [chart, expected] of Object.entries(variantsWithData(data))) {
      const drawn = new Set(
        series.filter((s) => s.chart === chart && s.values > 0 && s.pixels > 3).map((s) => s.variant),
      );
      for (const v of expected) expect(drawn.has(v), `${chart}: variant ${data.variants[v]} is not drawn`).toBe(true);
    }
    // A static page states values: no legend entry shows a blank or a dash.
    for (const entry of await page.legendValues())
      expect(entry.value.trim(), `${entry.chart}: legend "${entry.label}"`).not.toMatch(/^(|–|-|--)$/);

    await page.page.screenshot({ path: join(ARTIFACTS, `report-run-${name}.png`), fullPage: true });
  });

  it('leads each page with what its run was for', async () => {
    const order = (name: string) => {
      const html = readFileSync(join(dirs[name] as string, 'report.html'), 'utf8');
      return ['id="numeric-axis"', 'id="tuning"', 'id="headline"'].map((id) => html.indexOf(id));
    };
    const [axis, , headline] = order('capacity');
    expect(axis).toBeGreaterThan(0);
    expect(axis).toBeLessThan(headline as number);
    const [, tuning, headline2] = order('tuning');
    expect(tuning).toBeGreaterThan(0);
    expect(tuning).toBeLessThan(headline2 as number);
    // The sweep's variants in the order of the swept value, whatever order they ran in.
    const capacity = JSON.parse(readFileSync(join(dirs.capacity as string, 'summary.json'), 'utf8')) as {
      variants: Array<{ params: Record<string, number> }>;
    };
    const html = readFileSync(join(dirs.capacity as string, 'report.html'), 'utf8');
    const data = JSON.parse(
      /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? 'null',
    ) as ReportData;
    const levels = data.variants.map((n) => Number(/=(\d+)/.exec(n)?.[1]));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(levels).toHaveLength(capacity.variants.length);
  });
});
