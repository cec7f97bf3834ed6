// The HTML renderer without a browser: untrusted text stays text, the embedded data reads
// back as it went in, nothing can be fetched, optional sections come and go with their data,
// and a big run stays small.
import { describe, expect, it } from 'vitest';
import { compareStats } from '../../src/checks/compare.js';
import { changeText, intervalText } from '../../src/checks/report.js';
import { compareSettings } from '../../src/checks/tolerance.js';
import type { RunSummary } from '../../src/core/summary.js';
import { syntheticStats } from '../checks/fixtures.js';
import { DEFAULT_LIMITS } from '../../src/report/html/collect.js';
import { escapeHtml, jsonForScript } from '../../src/report/html/escape.js';
import { comparisonHtml, loadPageAssets, renderReportHtml } from '../../src/report/html/index.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';
import { buildPageData, HOSTILE, runMeta, smallRun, syntheticRecords } from './fixture.js';

const assets = loadPageAssets();

function page(run = smallRun(), extra: Partial<RunSummary> = {}): { html: string; data: unknown } {
  const { data, summary } = buildPageData({ meta: run.meta, records: () => run.records, health: run.health });
  return { html: renderReportHtml({ data, meta: run.meta, summary: { ...summary, ...extra } }, assets), data };
}

function embeddedData(html: string): unknown {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? 'null');
}

describe('escaping', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('writes JSON that cannot close its script element and parses back the same', () => {
    const value = { name: '</script><script>alert(1)</script>', sep: '\u2028' };
    const text = jsonForScript(value);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderReportHtml', () => {
  it('shows hostile scenario text, error messages and variant names as text only', () => {
    const run = smallRun();
    const name = `v ${HOSTILE}`;
    run.meta.variants[0]!.name = name;
    for (const r of run.records) if (r.variant === 'concurrency=1') r.variant = name;
    const { html, data } = page(run);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html.match(/<script/g)).toHaveLength(3); // data, uPlot, page script: nothing injected
    // The page embeds the collector's data as it is, plus what the run was for (render.ts).
    expect(embeddedData(html)).toEqual({ ...(data as object), context: { slo: [], ttftTargetMs: null, tuning: null } });
  });

  it("shows the console's warnings on the page, and no warnings box when there are none", () => {
    const quiet = page().html;
    expect(quiet).not.toContain('id="warnings"');
    const run = smallRun();
    // Every request of the first variant went out 30 ms late: podbench fell behind its schedule.
    for (const r of run.records)
      if (r.variant === 'concurrency=1' && r.sentMs !== undefined) r.sentMs = r.scheduledMs + 30;
    const { html } = page(run);
    expect(html).toMatch(/<div class="notice" id="warnings"><strong>Warnings\.<\/strong>[\s\S]*requests went out late/);
  });

  it('forbids every fetch and references nothing outside the file', () => {
    const { html } = page();
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
  });

  it('has the header a reader needs first, without any secret', () => {
    const { html } = page();
    for (const text of [
      'fixture',
      'emulator on 127.0.0.1',
      'worker format seen',
      'legacy (21 requests)',
      '2026-11-26 10:15:00 UTC',
      '21.0s',
      '0.1.0',
      '<details class="scenario">',
    ]) {
      expect(html).toContain(text);
    }
  });

  it('renders thresholds only when summary.json has them', () => {
    expect(page().html).not.toContain('id="thresholds"');
    const thresholds = [
      { expression: 'ttftMs.p95 < 500', metric: 'ttftMs.p95', variant: 'concurrency=4', value: 1615.2, passed: false },
      { expression: 'errorRate < 0.2', metric: 'errorRate', value: 0.08, passed: true },
    ];
    const { html } = page(smallRun(), { thresholds } as Partial<RunSummary>);
    expect(html).toContain('id="thresholds"');
    expect(html).toContain('1 of 2 thresholds failed');
    expect(html).toContain('ttftMs.p95 &lt; 500');
    expect(html).toContain('<td>1,615 ms</td>');
    expect(html).toContain('<td>8%</td>');
  });

  it('leads with the comparison when the run had a baseline: verdicts, intervals and bands as checks.md has them', async () => {
    const baseline = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000 }]);
    const current = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1300 }]);
    const comparison = compareStats(baseline, current, compareSettings({}), {
      baseline: `base ${HOSTILE}.json`,
      current: 'reports/x',
    });
    const checks = { scenario: 'nightly', subject: 'reports/x', thresholds: [], comparison };
    const run = smallRun();
    const { data, summary } = buildPageData({ meta: run.meta, records: () => run.records, health: run.health });
    const html = renderReportHtml({ data, meta: run.meta, summary, verdictHtml: comparisonHtml(checks) }, assets);
    const at = html.indexOf('<section id="verdict"');
    expect(at).toBeGreaterThan(html.indexOf('</header>'));
    expect(at).toBeLessThan(html.indexOf('<section id="headline">'));
    const section = html.slice(at, html.indexOf('</section>', at));
    expect(section).toContain(escapeHtml(`base ${HOSTILE}.json`));
    expect(section).not.toContain(HOSTILE);
    const p50 = comparison.rows.find((r) => r.metric === 'warm.e2eMs.p50')!;
    expect(section).toContain(`<td>${escapeHtml(changeText(p50))}</td><td>${escapeHtml(intervalText(p50))}</td>`);
    expect(section).toMatch(/regressions? in \d+ comparisons/);
    expect(page().html).not.toContain('id="verdict"');
  });

  it('does not show a comparison that judged nothing in the pass colour', async () => {
    const baseline = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000 }]);
    const current = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1000 }]);
    const judged = compareStats(baseline, current, compareSettings({}), { baseline: 'a', current: 'b' });
    const verdictClass = (comparison: typeof judged) =>
      /<p class="verdict (\w+)">/.exec(
        comparisonHtml({ scenario: 's', subject: 'b', thresholds: [], comparison }),
      )?.[1];
    expect(judged.regressions).toBe(0);
    expect(verdictClass(judged)).toBe('ok');
    // No metric in common with the baseline: nothing was compared, which is no pass.
    expect(verdictClass({ ...judged, rows: [] })).toBe('warn');
    expect(verdictClass({ ...judged, rows: judged.rows.map((r) => ({ ...r, verdict: 'n/a' as const })) })).toBe('warn');
  });

  it('leaves the numeric-axis section out when variants differ in more than one parameter', () => {
    const run = smallRun();
    run.meta.variants[1]!.params = { 'load.concurrency': 4, mode: 'sync' };
    const { html } = page(run);
    expect(html).not.toContain('id="numeric-axis"');
    expect(page().html).toContain('id="numeric-axis"');
  });
});

describe('a 100,000-request run', () => {
  it('gives a page under 5 MB that says what was downsampled', () => {
    const variants = ['a', 'b'];
    const meta = runMeta(
      variants.map((name) => makeVariantMeta({ name, mode: 'stream' })),
      { durationMs: 1_200_000 },
    );
    const { data, summary } = buildPageData({ meta, records: () => syntheticRecords(100_000, variants) });
    const html = renderReportHtml({ data, meta, summary }, assets);
    expect(Buffer.byteLength(html)).toBeLessThan(5 * 1024 * 1024);
    expect(data.timeline.bars).toHaveLength(DEFAULT_LIMITS.timelineBars);
    expect(data.overTime.startMs.length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxWindows);
    expect(html).toContain('id="downsampled"');
    expect(data.downsampled[0]).toBe('Request timeline: 3,000 of 100,000 requests, a uniform random sample.');
    expect(data.downsampled.join(' ')).toContain('chunk gaps from 20,000 of');
  });

  it('samples deterministically: the same records give the same page data', () => {
    const meta = runMeta([makeVariantMeta({ name: 'a', mode: 'stream' })]);
    const build = () => buildPageData({ meta, records: () => syntheticRecords(30_000, ['a']) }).data;
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });

  it('keeps the downsampled notice out of a small page', () => {
    const meta = runMeta([makeVariantMeta()]);
    const { data, summary } = buildPageData({ meta, records: () => [makeRecord()] });
    expect(renderReportHtml({ data, meta, summary }, assets)).not.toContain('id="downsampled"');
  });
});
