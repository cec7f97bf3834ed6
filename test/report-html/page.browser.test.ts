// report.html in a real browser: Debian's Chromium opens the file from disk and must log no
// error, make no request but the file itself, and draw every chart with data. Screenshots
// land in reports/test-artifacts/ (git-ignored) for people to look at.
//
// Needs /usr/bin/chromium. Without it the suite skips with a note, except in CI (CI=true),
// where .ci/run installs it and a missing browser is a failure.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReports } from '../../src/runner/build-reports.js';
import { loadPageAssets, renderReportHtml } from '../../src/report/html/index.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';
import { CHROMIUM_INSTALL_HINT, CHROMIUM_PATH, openReport, type OpenedPage } from './browser.js';
import { buildPageData, runMeta, smallRun, syntheticHealth, syntheticRecords, writeRunDir } from './fixture.js';

const ARTIFACTS = fileURLToPath(new URL('../../reports/test-artifacts/', import.meta.url));
const hasChromium = existsSync(CHROMIUM_PATH);
const inCi = process.env.CI === 'true';
if (!hasChromium && !inCi) console.warn(`report.html browser tests SKIPPED: they need ${CHROMIUM_INSTALL_HINT}.`);

describe.skipIf(!hasChromium && !inCi)('report.html in Chromium', () => {
  beforeAll(() => {
    if (!hasChromium)
      throw new Error(
        `CI=true and no browser: the report page tests need ${CHROMIUM_INSTALL_HINT}; .ci/run should have installed it`,
      );
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  const opened: OpenedPage[] = [];
  afterAll(async () => {
    for (const page of opened) await page.close();
  });
  const open = async (file: string) => {
    const page = await openReport(file);
    opened.push(page);
    return page;
  };

  /** The checks every page must pass, whatever its run. */
  const expectCleanPage = (page: OpenedPage) => {
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([page.url]);
  };

  it('draws every chart of a small run written by buildReports, offline and without errors', async () => {
    const dir = join(ARTIFACTS, 'small-run');
    writeRunDir(dir, smallRun());
    const built = await buildReports(dir);
    expect(built.files).toContain('report.html');
    const page = await open(join(dir, 'report.html'));
    expectCleanPage(page);
    const charts = await page.charts();
    // The curves against the one parameter the variants differ in lead the page.
    expect(charts.map((c) => c.id)).toEqual([
      'chart-axis-ttftMs',
      'chart-axis-e2eMs',
      'chart-axis-tpotMs',
      'chart-axis-throughput',
      'chart-ttft',
      'chart-ttft-warm',
      'chart-e2e',
      'chart-e2e-warm',
      'chart-inflight',
      'chart-completions',
      'chart-tokens',
      'chart-errors',
      'chart-latency-window',
      'chart-health',
      'chart-jobs',
      'chart-timeline',
      'chart-chunk-tokens',
      'chart-chunk-gaps',
      'chart-polls',
      'chart-split',
      'chart-cold',
    ]);
    for (const chart of charts) {
      expect(chart, chart.id).toMatchObject({ empty: false });
      expect(chart.points, chart.id).toBeGreaterThan(0);
      if (chart.id === 'chart-split') expect(chart.segments).toBeGreaterThanOrEqual(6);
      else expect(chart.colouredPixels, chart.id).toBeGreaterThan(30);
    }
    // Hostile text from the run shows as text, never as markup.
    expect(await page.page.locator('table.errors').innerText()).toContain('<script>alert("x")</script>');
    expect(await page.page.locator('script').count()).toBe(3);
    await page.page.screenshot({ path: join(ARTIFACTS, 'report-small.png'), fullPage: true });
  });

  it('says why each chart is empty for a run with nothing to draw', async () => {
    const meta = runMeta([makeVariantMeta({ name: 'sync', mode: 'sync' })], { durationMs: 1000 });
    const records = [
      makeRecord({ seq: 0, variant: 'sync', outcome: 'network_error', error: 'ECONNREFUSED', endMs: 20 }),
    ];
    const { data, summary } = buildPageData({ meta, records: () => records });
    const file = join(ARTIFACTS, 'failed-run.html');
    writeFileSync(file, renderReportHtml({ data, meta, summary }, loadPageAssets()));
    const page = await open(file);
    expectCleanPage(page);
    const empty = (await page.charts()).filter((c) => c.empty).map((c) => c.id);
    expect(empty).toEqual(
      expect.arrayContaining(['chart-ttft', 'chart-e2e', 'chart-health', 'chart-chunk-tokens', 'chart-cold']),
    );
    await page.page.screenshot({ path: join(ARTIFACTS, 'report-failed-run.png'), fullPage: true });
  });

  it('opens a 100,000-request report, under 5 MB, and says it was downsampled', async () => {
    const variants = ['concurrency=8', 'concurrency=16', 'concurrency=32', 'concurrency=64'];
    const meta = runMeta(
      variants.map((name, i) =>
        makeVariantMeta({
          name,
          mode: 'stream',
          params: { 'load.concurrency': 8 * 2 ** i },
          load: `closed loop, concurrency ${8 * 2 ** i}, 25,000 requests`,
        }),
      ),
      { durationMs: 2_400_000 },
    );
    const { data, summary } = buildPageData({
      meta,
      records: () => syntheticRecords(100_000, variants),
      health: syntheticHealth(2_400_000, variants),
    });
    const file = join(ARTIFACTS, 'large-run.html');
    writeFileSync(file, renderReportHtml({ data, meta, summary }, loadPageAssets()));
    const bytes = statSync(file).size;
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
    const page = await open(file);
    expectCleanPage(page);
    console.log(
      `100,000-request report.html: ${(bytes / 1024).toFixed(0)} kB, ready in Chromium after ${page.readyMs} ms`,
    );
    // How fast it opens is printed above, not asserted (a busy machine's figure); a page that
    // never gets ready fails in open(), which waits for body[data-ready] for at most 60 s.
    expect(await page.page.locator('#downsampled').innerText()).toMatch(/Downsampled[\s\S]*3,000 of 100,000 requests/);
    for (const chart of await page.charts()) expect(chart.points, chart.id).toBeGreaterThan(0);
    await page.page.screenshot({ path: join(ARTIFACTS, 'report-100k.png'), fullPage: true });
  });
});
