import { describe, expect, it } from 'vitest';
import { closedLoopRecords, makeRunMeta, makeVariantMeta } from '../../test/support/records.js';
import type { RequestRecord } from '../core/record.js';
import type { RunMeta, VariantSummary } from '../core/summary.js';
import { createRng } from '../util/rng.js';
import { createRunDeriver, deriveRun } from './derive-run.js';
import { valueDeviations } from '../checks/value-deviations.js';

function metaOf(concurrency: number): RunMeta {
  return makeRunMeta({ variants: [makeVariantMeta({ mode: 'stream', effective: { load: { concurrency } } })] });
}

/** A closed loop of `concurrency` users; every `failEvery`-th request fails; lognormal E2E, TTFT a fifth of it. */
function closedLoop(n: number, concurrency: number, seed: number, failEvery = 0): RequestRecord[] {
  const rng = createRng(seed);
  return closedLoopRecords(
    n,
    concurrency,
    () => rng.lognormal(400, 0.5),
    (seq, start, e2e) =>
      failEvery > 0 && seq % failEvery === failEvery - 1
        ? { outcome: 'http_error', httpStatus: 500 }
        : { firstTokenMs: start + e2e / 5, outputTokens: 100, promptTokens: 50 },
  );
}

async function variantOf(records: RequestRecord[], concurrency = 4): Promise<VariantSummary> {
  const { summary } = await deriveRun(metaOf(concurrency), records, []);
  return summary.variants[0] as VariantSummary;
}

const contains = (interval: unknown, value: number | null) => {
  const [low, high] = interval as [number, number];
  return value !== null && low <= value && value <= high && low < high;
};

describe('intervals on every figure of a variant', () => {
  it('puts an interval around each percentile, mean, rate and share', async () => {
    const v = await variantOf(closedLoop(400, 4, 7, 20));
    const ttft = v.metrics.ttftMs;
    for (const stat of ['mean', 'p50', 'p90', 'p95', 'p99'] as const)
      expect(contains(ttft.interval95?.[stat], ttft[stat]), stat).toBe(true);
    expect(ttft.interval95).not.toHaveProperty('reasons');
    expect(contains(v.metrics.e2eMs.interval95?.p95, v.metrics.e2eMs.p95)).toBe(true);
    for (const rate of ['requestsPerSec', 'outputTokensPerSec', 'totalTokensPerSec'] as const)
      expect(contains(v.throughput.interval95?.[rate], v.throughput[rate]), rate).toBe(true);
    // 20 errors of 400: Wilson's interval of 5%.
    expect(v.counts.errorRate).toBe(0.05);
    const [low, high] = (v.counts.interval95?.errorRate ?? [Number.NaN, Number.NaN]) as [number, number];
    expect(low).toBeCloseTo(0.0327, 3);
    expect(high).toBeCloseTo(0.0757, 3);
    // Figures without per-request values carry none.
    expect(v.metrics.chunkGapMs.interval95 ?? {}).not.toHaveProperty('p50', expect.any(Array));
  });

  it('gives the same intervals for the same records', async () => {
    const records = closedLoop(300, 4, 11);
    const a = await variantOf(records);
    const b = await variantOf(structuredClone(records));
    expect(b.metrics.ttftMs.interval95).toEqual(a.metrics.ttftMs.interval95);
    expect(b.throughput.interval95).toEqual(a.throughput.interval95);
  });

  it('gives the same intervals when the resamples are drawn elsewhere from the tables alone', async () => {
    // Server timing on every request, a few cold: the warm and cold populations get groups of their own.
    const records = closedLoop(600, 4, 13).map((r, i) => ({
      ...r,
      workerId: `w${i % 3}`,
      delayMs: i % 97 === 0 ? 4000 : 20 + (i % 7),
      executionMs: 300,
    }));
    const meta = metaOf(4);
    const here = await deriveRun(meta, records, []);
    const deriver = createRunDeriver(meta);
    for (const record of records) deriver.add(record);
    let drawnFor: string[] = [];
    const elsewhere = await deriver.finish([], {
      verdicts: async (_cold, tables) => {
        drawnFor = Object.keys(tables);
        // What the CSV worker does with the tables it is posted (a copy, as a message makes).
        const copies = structuredClone(tables);
        return Object.fromEntries(Object.entries(copies).map(([name, table]) => [name, valueDeviations(name, table)]));
      },
    });
    expect(drawnFor).toEqual(['default']);
    expect(here.summary.variants[0]?.coldStarts.count).toBeGreaterThan(0);
    expect(JSON.stringify(elsewhere.summary)).toBe(JSON.stringify(here.summary));
    expect(here.summary.variants[0]?.metrics.ttftMs.interval95?.p95).toEqual(expect.any(Array));
  });

  it('says null and why where the run is too small for an interval', async () => {
    const v = await variantOf(closedLoop(60, 4, 3));
    const e2e = v.metrics.e2eMs.interval95;
    expect(contains(e2e?.p50, v.metrics.e2eMs.p50)).toBe(true);
    expect(contains(e2e?.p95, v.metrics.e2eMs.p95)).toBe(true);
    expect(e2e?.p99).toBeNull();
    expect(e2e?.reasons).toEqual({ p99: '60 values; an interval of p99 needs 200' });
    const tiny = await variantOf(closedLoop(12, 4, 3));
    expect(tiny.throughput.interval95?.requestsPerSec).toBeNull();
    expect(tiny.throughput.interval95?.reasons?.requestsPerSec).toBe('12 requests; a throughput interval needs 20');
    expect(tiny.metrics.e2eMs.interval95?.reasons?.mean).toBe("12 values; a mean's interval needs 30");
  });

  it('gives a throughput of a run without a replayable schedule no interval, and says so', async () => {
    const records = closedLoop(100, 4, 5);
    const { summary } = await deriveRun({ ...metaOf(4), variants: [makeVariantMeta({ mode: 'stream' })] }, records, []);
    const t = summary.variants[0]?.throughput.interval95;
    expect(t?.requestsPerSec).toBeNull();
    expect(t?.reasons?.requestsPerSec).toMatch(/no schedule to replay/);
  });
});

describe('intervals in the report and in older files', () => {
  it('shows the intervals under p50/p95 and the rates, and renders a summary without them as before', async () => {
    const { headlineTable } = await import('../report/html/tables.js');
    const { fmtMs } = await import('../report/html/format.js');
    // 30 requests: p50 has an interval, p95 (needs 40) has none.
    const v = await variantOf(closedLoop(30, 4, 3));
    const withIntervals = headlineTable([v], new Map());
    const [low, high] = v.metrics.e2eMs.interval95?.p50 ?? [Number.NaN, Number.NaN];
    expect(withIntervals).toContain(`${fmtMs(low)} – ${fmtMs(high)}`);
    expect(withIntervals).toContain('no 95% interval');
    // An older summary.json: the same figures, no interval95 anywhere.
    const old = JSON.parse(JSON.stringify(v, (key, value) => (key === 'interval95' ? undefined : value)));
    const page = headlineTable([old], new Map());
    expect(page).not.toContain(' – ');
    expect(page).not.toContain('interval');
  });
});

describe("goodput's intervals", () => {
  it('put the throughput method around goodput rates and Wilson around its share, counting met requests', async () => {
    // E2E lognormal around 400 ms; the SLO keeps those under 400 ms: about half.
    const records = closedLoop(400, 4, 11, 20);
    const meta = { ...metaOf(4), analysis: { slo: ['e2e < 400ms'], idleTimeoutMs: 5000 } } as RunMeta;
    const { summary } = await deriveRun(meta, records, []);
    const g = (summary.variants[0] as VariantSummary).goodput;
    // Hand count: ok requests whose E2E was under 400 ms.
    const met = records.filter((r) => r.outcome === 'ok' && r.endMs - (r.sentMs as number) < 400).length;
    expect(g?.met).toBe(met);
    expect(g?.share).toBe(met / 400);
    for (const rate of ['requestsPerSec', 'outputTokensPerSec', 'share'] as const)
      expect(contains(g?.interval95?.[rate], g?.[rate] ?? null), rate).toBe(true);
    // Wilson's interval of met out of 400 trials.
    const p = met / 400;
    const z = 1.959963984540054;
    const centre = (p + (z * z) / 800) / (1 + (z * z) / 400);
    const half = (z * Math.sqrt((p * (1 - p)) / 400 + (z * z) / (4 * 400 * 400))) / (1 + (z * z) / 400);
    const [low, high] = (g?.interval95?.share ?? [Number.NaN, Number.NaN]) as [number, number];
    expect(low).toBeCloseTo(centre - half, 5);
    expect(high).toBeCloseTo(centre + half, 5);
    // The goodput rate's interval is narrower in absolute terms than the whole rate's (fewer counted), and below it.
    const [, goodHigh] = (g?.interval95?.requestsPerSec ?? [Number.NaN, Number.NaN]) as [number, number];
    const [, allHigh] = ((summary.variants[0] as VariantSummary).throughput.interval95?.requestsPerSec ?? [
      Number.NaN,
      Number.NaN,
    ]) as [number, number];
    expect(goodHigh).toBeLessThan(allHigh);
  });

  it('has none for a summary without per-request SLOs', async () => {
    const v = await variantOf(closedLoop(100, 4, 3));
    expect(v.goodput).toBeUndefined();
  });
});
