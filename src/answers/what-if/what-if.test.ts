// The what-if's judging, piece by piece: margins with the model's error, the choice and its
// flag, the search grammar and the replay error a figure inherits.
import { describe, expect, it } from 'vitest';
import type { ReplayCheck } from '../../core/calibration.js';
import type { SloCheck, WhatIfCandidate } from '../../core/what-if.js';
import { lookupMetric } from '../../checks/metrics.js';
import { choose, replayErrorFor } from './choose.js';
import { marginOf } from './evaluate.js';
import { candidatesOf, parseSearch } from './search.js';

describe('marginOf', () => {
  it('a limit cleared with the error to spare, within it, or missed', () => {
    expect(marginOf(900, '<', 1000, 0.1)).toBe('met');
    expect(marginOf(950, '<', 1000, 0.1)).toBe('met-within-error');
    expect(marginOf(1050, '<', 1000, 0.1)).toBe('missed-within-error');
    expect(marginOf(1200, '<', 1000, 0.1)).toBe('missed');
    expect(marginOf(950, '<', 1000, null)).toBe('met-error-unknown');
    // Higher is better: the error moves the prediction down.
    expect(marginOf(110, '>=', 100, 0.05)).toBe('met');
    expect(marginOf(102, '>=', 100, 0.05)).toBe('met-within-error');
  });
});

function candidate(cost: number, predicted: number, errorShare: number, limit = 1000): WhatIfCandidate {
  const check: SloCheck = {
    expression: `e2eMs.p95 < ${limit}`,
    metric: 'e2eMs.p95',
    op: '<',
    limit,
    predicted,
    errorShare,
    margin: marginOf(predicted, '<', limit, errorShare),
  };
  const meets = check.margin === 'met' || check.margin === 'met-within-error';
  return {
    settings: { 'workers.max': cost },
    costPerHour: cost,
    costPerMillionTokens: null,
    workersBilled: cost,
    ttftP95Ms: null,
    e2eP95Ms: predicted,
    coldStartShare: 0,
    errorRate: 0,
    slo: [check],
    meets,
    meetsWithMargin: check.margin === 'met',
  };
}

describe('choose', () => {
  it('the cheapest that meets the SLOs; flagged with the safer one beside it when only within error', () => {
    const within = candidate(2, 960, 0.1);
    const safe = candidate(3, 800, 0.1);
    const choice = choose([candidate(1, 1500, 0.1), safe, within]);
    expect(choice.recommended).toBe(within);
    expect(choice.recommended?.meetsWithMargin).toBe(false);
    expect(choice.safer).toBe(safe);
    expect(choice.meeting).toBe(2);
  });

  it('no flag when the cheapest clears the SLOs with the error to spare', () => {
    const safe = candidate(2, 800, 0.1);
    expect(choose([safe, candidate(3, 700, 0.1)])).toMatchObject({ recommended: safe, safer: null });
  });

  it('nothing meets: the closest miss', () => {
    const near = candidate(3, 1100, 0.01);
    const choice = choose([candidate(1, 3000, 0.01), near]);
    expect(choice.recommended).toBeNull();
    expect(choice.closest).toBe(near);
  });
});

describe('--search', () => {
  it('lists, ranges, durations and scalers; workers.min above workers.max left out', () => {
    expect(parseSearch('workers.max=1..3')).toEqual({ path: 'workers.max', values: [1, 2, 3] });
    expect(parseSearch('workers.idleTimeout=5s,60s').values).toEqual(['5s', '60s']);
    expect(parseSearch('workers.scaler=QUEUE_DELAY:4,request_count:2').values).toEqual([
      { type: 'QUEUE_DELAY', value: 4 },
      { type: 'REQUEST_COUNT', value: 2 },
    ]);
    const grid = candidatesOf([parseSearch('workers.min=0..2'), parseSearch('workers.max=1..2')]);
    expect(grid).toHaveLength(5);
    expect(grid.every((c) => (c['workers.min'] as number) <= (c['workers.max'] as number))).toBe(true);
  });

  it('refuses what is not an endpoint setting, or not a value', () => {
    expect(() => parseSearch('generation.stepMs=1,2')).toThrow(/endpoint's settings/);
    expect(() => parseSearch('workers.scaler=FAST:1')).toThrow(/QUEUE_DELAY/);
    expect(() => parseSearch('workers.max')).toThrow(/path=values/);
  });
});

describe('replayErrorFor', () => {
  const replay: ReplayCheck = {
    requests: 100,
    rows: [
      { metric: 'ttftMs.p50', measured: 100, replayed: 103, relativeError: 0.03 },
      { metric: 'ttftMs.p95', measured: 200, replayed: 180, relativeError: -0.1 },
      { metric: 'e2eMs.p95', measured: 1000, replayed: 1050, relativeError: 0.05 },
      { metric: 'outputTokensPerSec', measured: 10, replayed: 10.1, relativeError: 0.01 },
    ],
  };
  const err = (name: string) =>
    replayErrorFor(replay, lookupMetric(name) as NonNullable<ReturnType<typeof lookupMetric>>);
  it('the same figure, the nearest statistic, or the worst latency error', () => {
    expect(err('ttftMs.p95')).toBeCloseTo(0.1);
    expect(err('ttftMs.p99')).toBeCloseTo(0.1);
    expect(err('ttftMs.mean')).toBeCloseTo(0.03);
    expect(err('outputTokensPerSec')).toBeCloseTo(0.01);
    expect(err('coldStarts.share')).toBeCloseTo(0.1);
    expect(
      replayErrorFor(undefined, lookupMetric('ttftMs.p95') as NonNullable<ReturnType<typeof lookupMetric>>),
    ).toBeNull();
  });
});
