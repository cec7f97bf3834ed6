// The verdict rules of compare, tolerance bands, and the inputs it refuses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statsFromFile } from '../../src/checks/inputs.js';
import { checkComparable, compareStats, type ComparisonRow } from '../../src/checks/compare.js';
import { compareSettings, parseBand } from '../../src/checks/tolerance.js';
import { lookupMetric } from '../../src/checks/metrics.js';
import { UsageError } from '../../src/core/errors.js';
import { makeStats, repeatPair, syntheticStats } from './fixtures.js';

const labels = { baseline: 'base.json', current: 'reports/new' };

function rows(
  baseline: ReturnType<typeof makeStats>,
  current: ReturnType<typeof makeStats>,
  flags: string[] = [],
  metrics?: string[],
): ComparisonRow[] {
  return compareStats(
    baseline,
    current,
    compareSettings({ toleranceFlags: flags, ...(metrics ? { metricFlags: metrics } : {}) }),
    labels,
  ).rows;
}

function verdict(rs: ComparisonRow[], variant: string, metric: string) {
  return rs.find((r) => r.variant === variant && r.metric === metric)?.verdict;
}

describe('band only (files without per-request values)', () => {
  const one = (value: number, metric = 'warm.e2eMs.p95') =>
    makeStats({ default: { [metric]: [value], 'warm.ok': [10] } });

  it('is worse beyond the band the bad way, better beyond it the good way, else same', () => {
    expect(verdict(rows(one(1000), one(1101)), 'default', 'warm.e2eMs.p95')).toBe('worse');
    expect(verdict(rows(one(1000), one(1100)), 'default', 'warm.e2eMs.p95')).toBe('same'); // exactly on the band edge
    expect(verdict(rows(one(1000), one(899)), 'default', 'warm.e2eMs.p95')).toBe('better');
    expect(verdict(rows(one(1000), one(1000)), 'default', 'warm.e2eMs.p95')).toBe('same');
  });

  it('knows that higher throughput is better', () => {
    const t = (v: number) => makeStats({ default: { outputTokensPerSec: [v] } });
    expect(verdict(rows(t(300), t(250)), 'default', 'outputTokensPerSec')).toBe('worse');
    expect(verdict(rows(t(300), t(350)), 'default', 'outputTokensPerSec')).toBe('better');
  });

  it('uses an absolute band for the error rate', () => {
    const e = (v: number) => makeStats({ default: { errorRate: [v] } });
    expect(verdict(rows(e(0), e(0.005)), 'default', 'errorRate')).toBe('same');
    expect(verdict(rows(e(0), e(0.02)), 'default', 'errorRate')).toBe('worse');
  });

  it('takes bands from flags: relative, absolute with a unit, both, and "*"', () => {
    expect(verdict(rows(one(1000), one(1150), ['warm.e2eMs.p95=20%']), 'default', 'warm.e2eMs.p95')).toBe('same');
    expect(verdict(rows(one(1000), one(1150), ['warm.e2eMs.p95=100ms']), 'default', 'warm.e2eMs.p95')).toBe('worse');
    expect(verdict(rows(one(1000), one(1150), ['warm.e2eMs.p95=5%,0.2s']), 'default', 'warm.e2eMs.p95')).toBe('same');
    expect(verdict(rows(one(1000), one(1150), ['*=50%']), 'default', 'warm.e2eMs.p95')).toBe('same');
    expect(verdict(rows(one(1000), one(1150), ['*=50%', 'warm.e2eMs.p95=1%']), 'default', 'warm.e2eMs.p95')).toBe(
      'worse',
    );
    // "*" leaves the error rate's absolute band alone: relative to 0% errors a band would be 0.
    const e = (v: number) => makeStats({ default: { errorRate: [v] } });
    expect(verdict(rows(e(0), e(0.005), ['*=20%']), 'default', 'errorRate')).toBe('same');
  });

  it('is n/a (never a regression) when one side has no number, and leaves out what neither measured', () => {
    const b = makeStats({ default: { 'coldStarts.delayMs.p90': [15000] } });
    const c = makeStats({ default: {} });
    const result = compareStats(b, c, compareSettings({}), labels);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      metric: 'coldStarts.delayMs.p90',
      verdict: 'n/a',
      reason: 'no data in the current run',
    });
    expect(result.regressions).toBe(0);
    expect(result.notes.join('\n')).toContain('neither run measured errorRate');
  });

  it('compares warm metrics over all requests when no request is known warm (no server timing)', () => {
    const b = makeStats({ default: { 'warm.ok': [0], 'e2eMs.p95': [900] } });
    const c = makeStats({ default: { 'warm.ok': [0], 'e2eMs.p95': [1500] } });
    const result = compareStats(b, c, compareSettings({}), labels);
    expect(result.rows.map((r) => [r.metric, r.verdict])).toEqual([['e2eMs.p95', 'worse']]);
    expect(result.notes[0]).toContain('no request is known warm');
    // The band given for the warm metric holds for the metric it fell back to.
    const banded = compareStats(b, c, compareSettings({ toleranceFlags: ['warm.e2eMs.p95=1s'] }), labels);
    expect(banded.rows.map((r) => [r.metric, r.verdict])).toEqual([['e2eMs.p95', 'same']]);
  });
});

describe("Welch's interval over repeats (files without per-request values)", () => {
  it('calls noise "same" even when the means moved beyond the band', () => {
    const { baseline, current } = repeatPair();
    // concurrency=4 warm.ttftMs.p50: 243 → 290 (+19%), but the runs scatter widely.
    const rs = rows(baseline, current);
    const row = rs.find((r) => r.variant === 'concurrency=4' && r.metric === 'warm.ttftMs.p50')!;
    expect(row.method).toBe('runs');
    expect(row.changeRatio!).toBeGreaterThan(0.1);
    expect(row.verdict).toBe('same');
    expect(row.reason).toMatch(/includes 0: noise/);
  });

  it('flags a clear regression and a clear improvement', () => {
    const { baseline, current } = repeatPair();
    const rs = rows(baseline, current);
    expect(verdict(rs, 'concurrency=4', 'warm.e2eMs.p95')).toBe('worse');
    expect(verdict(rs, 'concurrency=4', 'outputTokensPerSec')).toBe('worse');
    expect(verdict(rs, 'concurrency=1', 'warm.ttftMs.p50')).toBe('better');
    expect(verdict(rs, 'concurrency=1', 'warm.e2eMs.p95')).toBe('same');
  });

  it('needs the change beyond the band too, not only a non-zero interval', () => {
    const b = makeStats({ default: { 'warm.ok': [9, 9, 9], 'warm.e2eMs.p50': [1000, 1001, 1002] } });
    const c = makeStats({ default: { 'warm.ok': [9, 9, 9], 'warm.e2eMs.p50': [1050, 1051, 1052] } });
    const row = rows(b, c, [], ['warm.e2eMs.p50'])[0]!;
    expect(row.changeCi![0]).toBeGreaterThan(0);
    expect(row.verdict).toBe('same');
    expect(row.reason).toContain('within the ±10% band');
  });

  it('falls back to the band when only one side has repeats', () => {
    const b = makeStats({ default: { 'warm.ok': [9, 9, 9], 'warm.e2eMs.p50': [1000, 1010, 990] } });
    const c = makeStats({ default: { 'warm.ok': [9], 'warm.e2eMs.p50': [1300] } });
    const row = rows(b, c, [], ['warm.e2eMs.p50'])[0]!;
    expect(row).toMatchObject({ method: 'point', verdict: 'worse' });
    expect(row.reason).toContain('band only: the baseline kept no per-request values');
  });
});

describe('one run a side with its requests: the bootstrap', () => {
  const e2e = (r: ComparisonRow[], metric: string) => r.find((x) => x.metric === metric)!;

  it('calls a 30% slower run worse, its 95% interval clear of 0', async () => {
    const b = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000 }]);
    const c = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1300 }]);
    const r = rows(b, c);
    for (const metric of ['warm.e2eMs.p50', 'warm.e2eMs.p95', 'warm.ttftMs.p50', 'requestsPerSec']) {
      const row = e2e(r, metric);
      expect(row.method, metric).toBe('bootstrap');
      expect(row.verdict, metric).toBe('worse');
      expect(row.reason, metric).toMatch(/95% interval of the change .* excludes 0/);
    }
    const p50 = e2e(r, 'warm.e2eMs.p50');
    expect(p50.changeCi![0]).toBeGreaterThan(0);
    expect(p50.changeCi![0]).toBeLessThan(p50.change!);
    expect(p50.changeCi![1]).toBeGreaterThan(p50.change!);
  });

  it("calls the same workload's noise same, where the band alone would cry wolf", async () => {
    // 40 pairs of runs of one wide distribution: their p95s often differ by more than the 10% band.
    const spec = { requests: 60, e2eMs: 1000, sigma: 0.6 };
    let beyondBand = 0;
    let flagged = 0;
    for (let pair = 0; pair < 40; pair++) {
      const b = await syntheticStats([{ seed: 1000 + pair, ...spec }]);
      const c = await syntheticStats([{ seed: 2000 + pair, ...spec }]);
      const row = e2e(rows(b, c, [], ['warm.e2eMs.p95']), 'warm.e2eMs.p95');
      if (Math.abs(row.changeRatio!) > 0.1) beyondBand += 1;
      if (row.verdict === 'worse' || row.verdict === 'better') flagged += 1;
      else expect(row.reason).toMatch(/includes 0: noise|within the ±10% band/);
    }
    expect(beyondBand).toBeGreaterThanOrEqual(20); // the band alone would have judged half of them
    expect(flagged).toBeLessThanOrEqual(4); // a 95% interval errs about 1 time in 20 (in either direction)
  });

  it('gives no verdict when the runs are too short for the statistic: p99 of 60 requests', async () => {
    const b = await syntheticStats([{ seed: 1, requests: 60, e2eMs: 1000 }]);
    const c = await syntheticStats([{ seed: 2, requests: 60, e2eMs: 3000 }]);
    const row = e2e(rows(b, c, [], ['warm.e2eMs.p99']), 'warm.e2eMs.p99');
    expect(row.verdict).toBe('n/a');
    expect(row.reason).toBe(
      'too few requests to tell a change from noise: baseline: 60 values; an interval of p99 needs 200',
    );
  });

  it('gives the same interval and verdict for the same files, every time', async () => {
    const b = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000 }]);
    const c = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1080 }]);
    const first = rows(b, c);
    const again = rows(structuredClone(b), structuredClone(c));
    expect(again).toEqual(first);
  });

  it('states the smallest change it could detect, and notes a run too short to vouch for its band', async () => {
    const b = await syntheticStats([{ seed: 1, requests: 40, e2eMs: 1000, sigma: 0.5 }]);
    const c = await syntheticStats([{ seed: 2, requests: 40, e2eMs: 1000, sigma: 0.5 }]);
    const result = compareStats(b, c, compareSettings({}), labels);
    const p95 = result.rows.find((r) => r.metric === 'warm.e2eMs.p95')!;
    expect(p95.detectableRatio!).toBeGreaterThan(0.1);
    expect(result.notes.join('\n')).toMatch(
      /too few requests to vouch for the band of .*warm\.e2eMs\.p95 \(detects ±\d+/,
    );
    // Ten times the requests: a tighter run detects a smaller change (about √10 smaller).
    const b10 = await syntheticStats([{ seed: 1, requests: 400, e2eMs: 1000, sigma: 0.5 }]);
    const c10 = await syntheticStats([{ seed: 2, requests: 400, e2eMs: 1000, sigma: 0.5 }]);
    const p95x10 = compareStats(b10, c10, compareSettings({}), labels).rows.find((r) => r.metric === 'warm.e2eMs.p95')!;
    expect(p95x10.detectableRatio!).toBeLessThan(p95.detectableRatio! / 2);
  });

  it("widens a polled TTFT's interval by the polls' resolution: a jump of one poll is no regression", async () => {
    // TTFT just under one 250 ms poll in the baseline, just over it in the current run: every
    // first token lands on the next poll, and the p50 jumps from 250 ms to 500 ms.
    const b = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000, sigma: 0.02, ttftShare: 0.24, pollMs: 250 }]);
    const c = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1000, sigma: 0.02, ttftShare: 0.26, pollMs: 250 }]);
    const row = e2e(rows(b, c, [], ['warm.ttftMs.p50']), 'warm.ttftMs.p50');
    expect(row.change).toBe(250);
    expect(row.verdict).toBe('same');
    expect(row.reason).toContain("widened by the polls' resolution, 250 ms and 250 ms");
    expect(row.changeCi).toEqual([0, 500]); // every value alike: the bootstrap interval is the change itself, 250 ms
    // Measured to the clock (SSE), the same jump is a regression.
    const bs = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000, sigma: 0.02, ttftShare: 0.2 }]);
    const cs = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1000, sigma: 0.02, ttftShare: 0.4 }]);
    expect(e2e(rows(bs, cs, [], ['warm.ttftMs.p50']), 'warm.ttftMs.p50').verdict).toBe('worse');
  });

  it('error rate: a failure more is noise, a tenth of the requests failing is a regression', async () => {
    const b = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000 }]);
    const few = await syntheticStats([{ seed: 3, requests: 80, e2eMs: 1000, errorRate: 0.02 }]);
    const many = await syntheticStats([{ seed: 4, requests: 80, e2eMs: 1000, errorRate: 0.15 }]);
    const noise = e2e(rows(b, few, [], ['errorRate']), 'errorRate');
    expect(noise.method).toBe('score');
    expect(noise.change!).toBeGreaterThan(0.01); // beyond the 1 pp band…
    expect(noise.verdict).toBe('same'); // …but 0 of 80 against a couple of 80 is within chance
    expect(e2e(rows(b, many, [], ['errorRate']), 'errorRate').verdict).toBe('worse');
  });
});

describe('baseline files', () => {
  it('reads formatVersion 1 files of older podbench, and judges them by their bands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-v1-'));
    const v1 = { ...makeStats({ default: { 'warm.ok': [40], 'warm.e2eMs.p50': [1000] } }), formatVersion: 1 };
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(v1));
    const old = await statsFromFile(join(dir, 'baseline.json'));
    const current = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1300 }]);
    const row = rows(old, current, [], ['warm.e2eMs.p50'])[0]!;
    expect(row).toMatchObject({ method: 'point', verdict: 'worse' });
    expect(row.reason).toContain('band only: the baseline kept no per-request values (a file from an older podbench)');
    writeFileSync(join(dir, 'future.json'), JSON.stringify({ ...v1, formatVersion: 9 }));
    await expect(statsFromFile(join(dir, 'future.json'))).rejects.toThrow(
      /formatVersion 9; this podbench reads 1 and 2/,
    );
  });

  it('a saved baseline alone is enough: it compares as the run folder it came from', async () => {
    const base = await syntheticStats([{ seed: 1, requests: 80, e2eMs: 1000 }]);
    const dir = mkdtempSync(join(tmpdir(), 'podbench-v2-'));
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(base));
    const read = await statsFromFile(join(dir, 'baseline.json'));
    const current = await syntheticStats([{ seed: 2, requests: 80, e2eMs: 1150 }]);
    expect(rows(read, current)).toEqual(rows(base, current));
  });
});

describe('inputs compare refuses', () => {
  const base = makeStats({ a: { errorRate: [0] }, b: { errorRate: [0] } });
  const expectUsage = (fn: () => void, message: RegExp) => {
    expect(fn).toThrow(UsageError);
    expect(fn).toThrow(message);
  };

  it('another scenario, a changed scenario file, other variants, another schema version', () => {
    expectUsage(
      () =>
        checkComparable(
          base,
          makeStats({ a: {}, b: {} }, { scenario: { name: 'other', sha256: 'a'.repeat(64) } }),
          labels,
        ),
      /base.json is scenario "nightly", reports\/new is scenario "other"/,
    );
    const edited = makeStats({ a: {}, b: {} }, { scenario: { name: 'nightly', sha256: 'b'.repeat(64) } });
    expectUsage(
      () => checkComparable(base, edited, labels),
      /scenario file "nightly" changed .*--allow-scenario-change/,
    );
    expect(() => checkComparable(base, edited, labels, true)).not.toThrow();
    expectUsage(
      () => checkComparable(base, makeStats({ a: {}, c: {} }), labels),
      /variants differ: reports\/new lacks variant "b" of the baseline; reports\/new has variant "c" the baseline lacks/,
    );
    expectUsage(
      () => checkComparable(base, makeStats({ a: {}, b: {} }, { schemaVersion: 2 }), labels),
      /schemaVersion 1, reports\/new has 2/,
    );
  });

  it('bad bands and metrics without a direction', () => {
    expectUsage(() => compareSettings({ toleranceFlags: ['warm.e2eMs.p95'] }), /expected metric=band/);
    expectUsage(() => compareSettings({ toleranceFlags: ['warm.e2eMs.p95=fast'] }), /"fast" is not a tolerance/);
    expectUsage(() => compareSettings({ toleranceFlags: ['*=50ms'] }), /"\*" takes a relative band/);
    expectUsage(() => compareSettings({ toleranceFlags: ['errorRate=2s'] }), /the unit "s" does not fit errorRate/);
    expectUsage(() => compareSettings({ metricFlags: ['outputTokens.mean'] }), /no better direction/);
    expectUsage(() => compareSettings({ metricFlags: ['nope'] }), /unknown metric "nope"/);
    expectUsage(
      () => compareSettings({ file: { path: 't.yaml', content: { metric: [] } } }),
      /t.yaml: unknown field "metric"/,
    );
  });

  it('reads shares in percentage points when asked', () => {
    expect(parseBand('2pp', lookupMetric('errorRate'), 'x')).toEqual({ absolute: 0.02 });
    expect(parseBand('0.02', lookupMetric('errorRate'), 'x')).toEqual({ absolute: 0.02 });
    expect(parseBand('10%', lookupMetric('errorRate'), 'x')).toEqual({ relative: 0.1 });
  });

  it('a tolerances file sets the compared metrics and their bands', () => {
    const s = compareSettings({
      file: {
        path: 't.yaml',
        content: {
          metrics: ['warm.ttftMs.p95', 'errorRate'],
          tolerances: { 'warm.ttftMs.p95': '15%', errorRate: '0.02' },
        },
      },
    });
    expect(s.metrics.map((m) => m.name)).toEqual(['warm.ttftMs.p95', 'errorRate']);
    expect(s.bands.get('warm.ttftMs.p95')).toEqual({ relative: 0.15 });
    expect(s.bands.get('errorRate')).toEqual({ absolute: 0.02 });
  });
});
