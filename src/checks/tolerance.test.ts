// Tolerance texts and files (the grammar in tolerance.ts's header), at their edges.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { lookupMetric } from './metrics.js';
import { bandFor, compareSettings, parseBand, parseToleranceFlag } from './tolerance.js';

const ttft = lookupMetric('warm.ttftMs.p95')!;
const errorRate = lookupMetric('errorRate')!;
const failed = lookupMetric('failed')!;

describe('parseBand', () => {
  it('reads relative, absolute and both, with units and spaces', () => {
    expect(parseBand('15%', ttft, 'x')).toEqual({ relative: 0.15 });
    expect(parseBand(' 2s ', ttft, 'x')).toEqual({ absolute: 2000 });
    expect(parseBand('10%, 50 ms', ttft, 'x')).toEqual({ relative: 0.1, absolute: 50 });
    expect(parseBand('+5%', ttft, 'x')).toEqual({ relative: 0.05 });
    expect(parseBand('5e1ms', ttft, 'x')).toEqual({ absolute: 50 });
    expect(parseBand('2.5e-1s', ttft, 'x')).toEqual({ absolute: 250 });
    expect(parseBand('0%', ttft, 'x')).toEqual({ relative: 0 });
  });

  it('reads shares as fractions or percentage points', () => {
    expect(parseBand('0.02', errorRate, 'x')).toEqual({ absolute: 0.02 });
    expect(parseBand('1pp', errorRate, 'x')).toEqual({ absolute: 0.01 });
  });

  it('refuses negative, malformed and misplaced texts', () => {
    for (const bad of ['-5%', 'x10%', '10%x', '10 %%', '1e', '']) {
      expect(() => parseBand(bad, ttft, 'origin'), bad).toThrow(UsageError);
    }
    expect(() => parseBand('5ms', errorRate, 'o')).toThrow(/the unit "ms" does not fit errorRate/);
    expect(() => parseBand('5pp', ttft, 'o')).toThrow(/the unit "pp" does not fit warm.ttftMs.p95/);
    expect(() => parseBand('50ms', undefined, 'o')).toThrow(/"\*" takes a relative band/);
  });
});

describe('parseToleranceFlag', () => {
  it('splits at the first = and trims both sides', () => {
    expect(parseToleranceFlag(' warm.ttftMs.p95 = 15% ')).toEqual({ name: 'warm.ttftMs.p95', spec: '15%' });
  });

  it('needs a metric before the =', () => {
    expect(() => parseToleranceFlag('=15%')).toThrow(/expected metric=band/);
    expect(() => parseToleranceFlag('15%')).toThrow(/expected metric=band/);
  });
});

describe('bands', () => {
  it("gives counts a 10% band of at least 1; a metric's own band wins over *", () => {
    const settings = compareSettings({ toleranceFlags: ['*=30%', 'warm.ttftMs.p95=5ms'] });
    expect(bandFor(settings, failed)).toEqual({ relative: 0.3, absolute: 1 });
    expect(bandFor(settings, ttft)).toEqual({ absolute: 5 });
    expect(bandFor(compareSettings({}), failed)).toEqual({ relative: 0.1, absolute: 1 });
  });

  it('leaves a default without a relative part alone under *', () => {
    const settings = compareSettings({ toleranceFlags: ['*=30%'] });
    expect(bandFor(settings, errorRate)).toEqual({ absolute: 0.01 });
  });
});

describe('compareSettings from a file', () => {
  const file = (content: unknown) => compareSettings({ file: { path: 't.yaml', content } });

  it('takes the metrics and tolerances it lists, each metric once', () => {
    const s = file({ metrics: ['errorRate', 'counts.errorRate', 'warm.ttftMs.p95'], tolerances: { errorRate: '2pp' } });
    expect(s.metrics.map((m) => m.name)).toEqual(['errorRate', 'warm.ttftMs.p95']);
    expect(s.bands.get('errorRate')).toEqual({ absolute: 0.02 });
  });

  it('keeps the default metrics when the file names none, and --metric replaces them', () => {
    expect(file({ tolerances: {} }).metrics).toHaveLength(12);
    expect(compareSettings({ metricFlags: [] }).metrics).toHaveLength(12);
    expect(compareSettings({ metricFlags: ['failed'] }).metrics.map((m) => m.name)).toEqual(['failed']);
  });

  it('refuses what is not a map, a list of names, or a map of bands', () => {
    expect(() => file(['errorRate'])).toThrow(/t.yaml: expected a map with metrics: and\/or tolerances:/);
    expect(() => file({ metrics: 'errorRate' })).toThrow(/t.yaml: metrics: expected a list of metric names/);
    expect(() => file({ metrics: ['errorRate', 3] })).toThrow(/t.yaml: metrics: expected a list of metric names/);
    expect(() => file({ tolerances: ['10%'] })).toThrow(/t.yaml: tolerances: expected a map/);
    expect(() => file({ metric: [] })).toThrow(/unknown field "metric"/);
  });
});
