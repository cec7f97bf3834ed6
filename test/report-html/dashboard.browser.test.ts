// podbench run --dashboard in Chromium: a run of fixed duration on the embedded emulator,
// its live page opened while it goes on. The banner's record count must rise while the run
// is live (each count the banner shows is the count the framed page was drawn from), the
// page must load nothing but its own server's paths, and once finished the framed page
// must show the same headline numbers as report.html opened from disk, and those must be
// summary.json's. Bounds are generous waits on conditions, never on speed.
//
// Needs /usr/bin/chromium: skipped with a note without it, a failure under CI=true.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/core/summary.js';
import type { Doc } from '../../src/report/html/client/dom.js';
import { fmtMs } from '../../src/report/html/format.js';
import { BIN, ROOT, tempDir, writeScenario } from '../support/cli.js';
import { CHROMIUM_ARGS, CHROMIUM_INSTALL_HINT, CHROMIUM_PATH } from './browser.js';

const hasChromium = existsSync(CHROMIUM_PATH);
const inCi = process.env.CI === 'true';
if (!hasChromium && !inCi) console.warn(`dashboard browser test SKIPPED: it needs ${CHROMIUM_INSTALL_HINT}.`);

// Open loop for a fixed 8 s: the run lasts that long however busy the machine is.
const SCENARIO = `name: live
mode: stream
sampling_params: { max_tokens: 8, ignore_eos: true }
polling: { interval: 20ms, health: 200ms }
load: { rate: 6, duration: 8s }
emulator: { workers: { min: 1, max: 2 }, generation: { stepMs: 10 } }
`;

interface Banner {
  state: string;
  records: number;
}

/** Runs in the shell page: what the banner says. */
function readBanner(): Banner {
  const doc = (globalThis as unknown as { document: Doc }).document;
  const el = doc.body.querySelectorAll('#live-banner')[0];
  return { state: el?.getAttribute('data-state') ?? '', records: Number(el?.getAttribute('data-records') ?? -1) };
}

/** Runs in a report page: the headline table's cells, row by row. */
function headlineCells(): string[][] {
  const doc = (globalThis as unknown as { document: Doc }).document;
  return Array.from(doc.body.querySelectorAll('#headline tbody tr')).map((row) =>
    // A cell's figure without its second line (the 95% interval, class "sub").
    Array.from(row.querySelectorAll('td')).map((cell) => {
      const sub = cell.querySelectorAll('.sub')[0]?.textContent ?? '';
      const all = cell.textContent ?? '';
      return (sub && all.endsWith(sub) ? all.slice(0, all.length - sub.length) : all).trim();
    }),
  );
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function currentFrame(page: Page): Promise<Frame> {
  const handle = await page.$('iframe[data-current="1"]');
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no current frame');
  return frame;
}

describe.skipIf(!hasChromium && !inCi)('podbench run --dashboard in Chromium', () => {
  const out = join(tempDir('podbench-dashboard-'), 'run');
  const userDataDir = mkdtempSync(join(tmpdir(), 'podbench-chromium-'));
  let child: ChildProcess | undefined;
  let context: BrowserContext | undefined;

  afterAll(async () => {
    await context?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('updates while the run goes on, and ends on the numbers of report.html', async () => {
    if (!hasChromium) throw new Error(`CI=true and no browser: the dashboard test needs ${CHROMIUM_INSTALL_HINT}`);
    const proc = spawn(
      process.execPath,
      [BIN, 'run', writeScenario(SCENARIO), '--quiet', '--dashboard', '--dashboard-port', '0', '--out', out],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    let stderr = '';
    let stdout = '';
    proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));

    const url = await until(
      'the dashboard URL on stderr',
      async () => /podbench: dashboard: (http:\/\/\S+)/.exec(stderr)?.[1],
      (u) => u !== undefined || proc.exitCode !== null,
      60_000,
    );
    expect(url, stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1366, height: 800 },
    });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url as string);

    // Every banner state seen until the run has finished, polled as it changes.
    const seen: Banner[] = [];
    const finished = await until(
      'the banner saying finished',
      async () => {
        const banner = await page.evaluate(readBanner);
        if (seen.length === 0 || JSON.stringify(seen[seen.length - 1]) !== JSON.stringify(banner)) seen.push(banner);
        return banner;
      },
      (b) => b.state === 'finished',
      180_000,
    );
    const liveCounts = [...new Set(seen.filter((b) => b.state === 'live' && b.records > 0).map((b) => b.records))];
    expect(liveCounts.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
    // Rising, never falling: each page is drawn from all the records written before it.
    expect(liveCounts).toEqual([...liveCounts].sort((a, b) => a - b));

    const code = await exited;
    expect(code, stderr).toBe(0);
    // The URL is said once, at the start, not with every update.
    expect(stderr.match(/podbench: dashboard:/g)).toHaveLength(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary;
    const variant = summary.variants[0];
    expect(variant).toBeDefined();
    // The banner counts every record; the headline counts measured requests (no warmup here).
    expect(finished.records).toBe(variant?.counts.sent);
    // A live page may already hold every record (the last one ended before the run's end was written).
    expect(liveCounts.every((n) => n <= finished.records)).toBe(true);

    const live = await (await currentFrame(page)).evaluate(headlineCells);
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    const frozen = await page.evaluate(headlineCells);
    expect(live).toEqual(frozen);
    expect(live[0]?.[0]).toBe(`${variant?.counts.ok} / ${variant?.counts.sent}`);
    // The p50s are summary.json's, as the page formats them (warm columns follow each when cold starts occurred).
    const warmColumns = (live[0]?.length ?? 0) > 14;
    expect(live[0]?.[2]).toBe(fmtMs(variant?.metrics.ttftMs.p50));
    expect(live[0]?.[warmColumns ? 7 : 5]).toBe(fmtMs(variant?.metrics.e2eMs.p50));

    // Offline: the live page fetched only its own server's paths, and the file page nothing.
    const origin = new URL(url as string).origin;
    const elsewhere = requests.filter((r) => !r.startsWith(`${origin}/`) && !r.startsWith('file://'));
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
    expect(stdout).toContain('reports:');
  }, 300_000);
});
