// Opens a report.html from disk in Debian's Chromium (driven by playwright-core, which never
// downloads a browser here) and reports what a reader's browser would see: console errors,
// every network request, and how much of each chart is actually drawn.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { Doc, El } from '../../src/report/html/client/dom.js';

export const CHROMIUM_PATH = process.env.PODBENCH_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_INSTALL_HINT = `Debian's chromium at ${CHROMIUM_PATH} (apt-get install -y --no-install-recommends chromium)`;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface ChartState {
  id: string;
  /** What the page says it drew (data-points). */
  points: number;
  empty: boolean;
  /** Pixels in the chart's canvas with colour in them (grid, axes and text are grey). */
  colouredPixels: number;
  /** HTML bar segments wider than 0 (the server time split). */
  segments: number;
}

/** One line of one chart, drawn alone: how many pixels it changes on its chart. */
export interface SeriesState {
  chart: string;
  label: string;
  /** The variant it belongs to (index into the page data's variants), if it is a variant's line. */
  variant: number | null;
  /** Finite values within the chart's data. */
  values: number;
  /** Pixels that differ from the chart with every line hidden, when only this line is shown. */
  pixels: number;
}

export interface OpenedPage {
  page: Page;
  url: string;
  consoleErrors: string[];
  requests: string[];
  /** From navigation to the page script's data-ready mark. */
  readyMs: number;
  charts(): Promise<ChartState[]>;
  /** Every line of every uPlot chart, each drawn on its own (the page is left as it was). */
  series(): Promise<SeriesState[]>;
  /** The legend texts shown with the cursor off the charts: label and value of each entry. */
  legendValues(): Promise<Array<{ chart: string; label: string; value: string }>>;
  close(): Promise<void>;
}

export async function openReport(file: string, viewport = { width: 1366, height: 800 }): Promise<OpenedPage> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'podbench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  const url = pathToFileURL(file).href;
  const started = performance.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  const readyMs = Math.round(performance.now() - started);
  return {
    page,
    url,
    consoleErrors,
    requests,
    readyMs,
    charts: () => page.evaluate(inspectCharts),
    series: () => page.evaluate(inspectSeries),
    legendValues: () => page.evaluate(inspectLegends),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

interface Canvas extends El {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

/** Runs in the page (serialized by playwright): the same rule as client/, no outside names. */
function inspectCharts(): ChartState[] {
  const doc = (globalThis as unknown as { document: Doc }).document;
  return Array.from(doc.body.querySelectorAll('[data-chart]')).map((el) => {
    let colouredPixels = 0;
    const canvas = el.querySelectorAll('canvas')[0] as Canvas | undefined;
    if (canvas) {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < pixels.length; i += 4) {
        const r = pixels[i] as number;
        const g = pixels[i + 1] as number;
        const b = pixels[i + 2] as number;
        if ((pixels[i + 3] as number) > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) colouredPixels += 1;
      }
    }
    const segments = Array.from(el.querySelectorAll('.seg')).filter(
      (seg) => (seg as El & { offsetWidth: number }).offsetWidth > 0,
    ).length;
    return {
      id: el.id,
      points: Number(el.getAttribute('data-points') ?? 0),
      empty: el.getAttribute('data-empty') === '1',
      colouredPixels,
      segments,
    };
  });
}

interface PlotLike {
  root: El;
  ctx: { canvas: Canvas };
  series: Array<{ label?: string; show?: boolean; width?: number; stroke?: unknown }>;
  data: Array<ArrayLike<number | null>>;
  setSeries(i: number, opts: { show: boolean }): void;
}

/** Runs in the page: isolates each line of each chart (window.podbenchCharts) and counts what it draws. */
async function inspectSeries(): Promise<SeriesState[]> {
  const win = globalThis as unknown as {
    podbenchCharts: Array<{ plot: PlotLike; target: El; variants: Array<number | undefined> }>;
    requestAnimationFrame(fn: () => void): void;
  };
  const frame = () => new Promise<void>((resolve) => win.requestAnimationFrame(() => resolve()));
  const snapshot = (canvas: Canvas) => canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const out: SeriesState[] = [];
  for (const { plot, target, variants } of win.podbenchCharts) {
    const shown = plot.series.map((s) => s.show !== false);
    const n = plot.series.length;
    for (let i = 1; i < n; i++) plot.setSeries(i, { show: false });
    await frame();
    const blank = snapshot(plot.ctx.canvas);
    for (let i = 1; i < n; i++) {
      const series = plot.series[i] as PlotLike['series'][number];
      // A line of width 0 only carries a custom drawing (the timeline's bars): not a data line.
      const values =
        series.width === 0 ? 0 : Array.from(plot.data[i] ?? []).filter((v) => v !== null && Number.isFinite(v)).length;
      plot.setSeries(i, { show: true });
      await frame();
      const drawn = snapshot(plot.ctx.canvas);
      let pixels = 0;
      for (let p = 0; p < drawn.length; p += 4) {
        if (
          Math.abs((drawn[p] as number) - (blank[p] as number)) > 24 ||
          Math.abs((drawn[p + 1] as number) - (blank[p + 1] as number)) > 24 ||
          Math.abs((drawn[p + 2] as number) - (blank[p + 2] as number)) > 24 ||
          Math.abs((drawn[p + 3] as number) - (blank[p + 3] as number)) > 24
        )
          pixels += 1;
      }
      plot.setSeries(i, { show: false });
      out.push({ chart: target.id, label: String(series.label ?? ''), variant: variants[i] ?? null, values, pixels });
    }
    for (let i = 1; i < n; i++) plot.setSeries(i, { show: shown[i] as boolean });
    await frame();
  }
  return out;
}

/** Runs in the page: the legend entries as a static page shows them. */
function inspectLegends(): Array<{ chart: string; label: string; value: string }> {
  const doc = (globalThis as unknown as { document: Doc }).document;
  return Array.from(doc.body.querySelectorAll('[data-chart]')).flatMap((chart) =>
    Array.from(chart.querySelectorAll('.u-legend .u-series')).map((row) => ({
      chart: chart.id,
      label: row.querySelectorAll('.u-label')[0]?.textContent ?? '',
      value: row.querySelectorAll('.u-value')[0]?.textContent ?? '',
    })),
  );
}
