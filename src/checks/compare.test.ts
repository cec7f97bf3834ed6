// Verdicts at the edges of the rules in compare.ts's header: a change exactly as wide as the
// band, improvements inside the band, single runs on either side, variants and loads that
// differ. Every expected verdict follows from "worse when the mean moved the bad way by more
// than the band" (and, over repeats, "the 95% interval of the change must exclude zero";
// files without per-request values and a single run a side are judged by the band alone).
import { describe, expect, it } from 'vitest';
import { makeStats } from '../../test/checks/fixtures.js';
import { UsageError } from '../core/errors.js';
import { checkComparable, compareStats, type ComparisonRow } from './compare.js';
import { compareSettings } from './tolerance.js';

const labels = { baseline: 'base.json', current: 'reports/new' };
const METRIC = 'warm.e2eMs.p50';

function row(b: ReturnType<typeof makeStats>, c: ReturnType<typeof makeStats>, metric = METRIC): ComparisonRow {
  return compareStats(b, c, compareSettings({ metricFlags: [metric] }), labels).rows[0]!;
}
const runs = (...values: number[]) => makeStats({ default: { [METRIC]: values, 'warm.ok': values.map(() => 9) } });

describe('the point rule at the band edge (10% of 1000 ms = 100 ms)', () => {
  it('calls an improvement of exactly the band "same", one past it "better"', () => {
    expect(row(runs(1000), runs(900)).verdict).toBe('same');
    expect(row(runs(1000), runs(899)).verdict).toBe('better');
  });
});

describe('the interval rule at its edges', () => {
  it('calls a worsening of exactly the band "same" even when the interval excludes 0', () => {
    // Means 1000 → 1100: +100 ms, exactly the band; the runs barely scatter.
    const r = row(runs(999, 1000, 1001), runs(1099, 1100, 1101));
    expect(r.changeCi![0]).toBeGreaterThan(0);
    expect(r.verdict).toBe('same');
  });

  it('calls an improvement inside the band "same" even when the interval excludes 0', () => {
    // Means 1001 → 951: −50 ms, inside the 100 ms band.
    const r = row(runs(1000, 1001, 1002), runs(950, 951, 952));
    expect(r.changeCi![1]).toBeLessThan(0);
    expect(r).toMatchObject({ method: 'runs', verdict: 'same' });
    expect(r.reason).toContain('within the ±10% band');
  });

  it('calls an improvement beyond the band "same" when the interval includes 0: noise', () => {
    // Means 1000 → 850: −150 ms, past the 100 ms band, but the runs scatter by ±200 ms.
    const r = row(runs(800, 1000, 1200), runs(600, 850, 1100));
    expect(r.changeCi![0]).toBeLessThan(0);
    expect(r.changeCi![1]).toBeGreaterThan(0);
    expect(r).toMatchObject({ verdict: 'same' });
    expect(r.reason).toMatch(/includes 0: noise/);
  });

  it('calls an improvement of exactly the band "same" even when the interval excludes 0', () => {
    const r = row(runs(999, 1000, 1001), runs(899, 900, 901));
    expect(r.changeCi![1]).toBeLessThan(0);
    expect(r.verdict).toBe('same');
  });

  it('calls a clear improvement beyond the band "better"', () => {
    const r = row(runs(1000, 1001, 1002), runs(700, 701, 702));
    expect(r.verdict).toBe('better');
    expect(r.reason).toMatch(/excludes 0, and the change is beyond the ±10% band \(100 ms\)/);
  });

  it('uses the interval over runs from two runs on each side', () => {
    expect(row(runs(1000, 1002), runs(1000, 1002)).method).toBe('runs');
  });
});

describe('single runs', () => {
  it('judges a single run without per-request values by its band alone, and says so', () => {
    // Files without request tables (older podbench): no interval can come from one run.
    for (const [b, c] of [
      [runs(1300), runs(1000, 1010)],
      [runs(1000, 1010), runs(1300)],
      [runs(1000), runs(1300)],
    ] as const) {
      const r = row(b, c);
      expect(r.method).toBe('point');
      expect(r.reason).toMatch(/band only: the baseline kept no per-request values/);
    }
    // Two runs a side have an interval over the runs instead.
    expect(row(runs(1000, 1010), runs(1300, 1310)).reason).not.toContain('band only');
  });

  it('has no change ratio against a baseline of 0', () => {
    const e = (v: number) => makeStats({ default: { errorRate: [v] } });
    expect(row(e(0), e(0.02), 'errorRate')).toMatchObject({ change: 0.02, changeRatio: null, verdict: 'worse' });
    expect(row(e(0.02), e(0.03), 'errorRate').changeRatio).toBeCloseTo(0.5, 12);
  });
});

describe('warm metrics without warm requests', () => {
  it('keep the warm metric when one side measured it', () => {
    const b = makeStats({ default: { 'warm.ok': [0], [METRIC]: [900], 'e2eMs.p50': [900] } });
    const c = makeStats({ default: { 'warm.ok': [0], 'e2eMs.p50': [1500] } });
    expect(row(b, c)).toMatchObject({ metric: METRIC, verdict: 'n/a' });
  });

  it('fall back to all requests when neither side counted warm requests at all', () => {
    // Older summaries without warm.ok: no request is known warm.
    const b = makeStats({ default: { 'e2eMs.p50': [900] } });
    const c = makeStats({ default: { 'e2eMs.p50': [1500] } });
    expect(row(b, c)).toMatchObject({ metric: 'e2eMs.p50', verdict: 'worse' });
  });

  it('do not fall back when one side had warm requests', () => {
    const b = makeStats({ default: { 'warm.ok': [5], 'e2eMs.p50': [900] } });
    const c = makeStats({ default: { 'warm.ok': [0], 'e2eMs.p50': [1500] } });
    const result = compareStats(b, c, compareSettings({ metricFlags: [METRIC] }), labels);
    expect(result.rows).toEqual([]);
    expect(result.notes).toEqual([`default: neither run measured ${METRIC}`]);
  });
});

describe('variants', () => {
  it('compares only the variants both sides have', () => {
    const b = makeStats({ a: { errorRate: [0] }, b: { errorRate: [0] } });
    const c = makeStats({ a: { errorRate: [0.5] } });
    const result = compareStats(b, c, compareSettings({ metricFlags: ['errorRate'] }), labels);
    expect(result.rows.map((r) => [r.variant, r.verdict])).toEqual([['a', 'worse']]);
    expect(result.regressions).toBe(1);
  });

  it('refuses a current run that lacks a variant, or has one more, naming it', () => {
    const both = makeStats({ a: {}, b: {} });
    const onlyA = makeStats({ a: {} });
    const expectUsage = (fn: () => void, message: RegExp) => {
      expect(fn).toThrow(UsageError);
      expect(fn).toThrow(message);
    };
    expectUsage(
      () => checkComparable(both, onlyA, labels),
      /^variants differ: reports\/new lacks variant "b" of the baseline \(/,
    );
    expectUsage(
      () => checkComparable(onlyA, both, labels),
      /^variants differ: reports\/new has variant "b" the baseline lacks \(/,
    );
    expect(() => checkComparable(both, makeStats({ b: {}, a: {} }), labels)).not.toThrow();
  });

  it('refuses a variant run under another load, unless told the change is fine', () => {
    const at = (load: string) => {
      const s = makeStats({ a: {}, b: {} });
      s.variants[1]!.load = load;
      return s;
    };
    expect(() => checkComparable(at('closed loop, concurrency 8'), at('closed loop, concurrency 2'), labels)).toThrow(
      /variant "b" ran under another load: base.json "closed loop, concurrency 8", reports\/new "closed loop, concurrency 2"/,
    );
    expect(() =>
      checkComparable(at('closed loop, concurrency 8'), at('closed loop, concurrency 2'), labels, true),
    ).not.toThrow();
    expect(() =>
      checkComparable(at('closed loop, concurrency 8'), at('closed loop, concurrency 8'), labels),
    ).not.toThrow();
    // An older file without the load, on either side: nothing to compare it with.
    expect(() => checkComparable(makeStats({ a: {}, b: {} }), at('closed loop, concurrency 2'), labels)).not.toThrow();
    expect(() => checkComparable(at('closed loop, concurrency 2'), makeStats({ a: {}, b: {} }), labels)).not.toThrow();
  });
});
