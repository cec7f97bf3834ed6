// The capacity search's limits at equality (capacity-search.ts's header): an error rate at its
// limit is good, throughput exactly at 90% of the maximum is the knee, growth by exactly the
// minimum gain continues, and a rate sweep stops refining within 2% of the last good level.
import { describe, expect, it } from 'vitest';
import { isGood, kneeStep, nextStep, type StepResult, type SweepConfig } from './capacity-search.js';

const config: SweepConfig = {
  field: 'load.concurrency',
  start: 1,
  factor: 2,
  max: 64,
  refine: 4,
  maxErrorRate: 0.01,
  minGain: 0.25,
};
const step = (level: number, throughput: number, over: Partial<StepResult> = {}): StepResult => ({
  level,
  sloMet: true,
  violations: [],
  errorRate: 0,
  throughput,
  ...over,
});

describe('capacity search limits', () => {
  it('counts an error rate exactly at the limit as good, one past it as bad, and says why', () => {
    expect(isGood(step(4, 10, { errorRate: 0.01 }), config)).toBe(true);
    expect(isGood(step(4, 10, { errorRate: 0.0101 }), config)).toBe(false);
    const next = nextStep(config, [step(1, 5, { errorRate: 0.02 })]);
    expect(next).toEqual({
      done: true,
      reason: 'the first level (1) already broke the SLOs: error rate 2.0% > 1.0%',
    });
    // At the limit it is no reason.
    const sloOnly = nextStep(config, [step(1, 5, { errorRate: 0.01, sloMet: false, violations: ['ttftMs.p95'] })]);
    expect(sloOnly).toMatchObject({ reason: 'the first level (1) already broke the SLOs: ttftMs.p95' });
  });

  it('keeps growing when throughput rose by exactly the minimum gain, stops below it', () => {
    // 8 → 10 req/s is +25%: exactly minGain.
    expect(nextStep(config, [step(1, 8), step(2, 10)])).toEqual({ done: false, level: 4, phase: 'grow' });
    expect(nextStep(config, [step(1, 8), step(2, 9.99)])).toEqual({
      done: true,
      reason: 'throughput stopped rising (8.00 → 9.99 req/s at 2)',
    });
    expect(nextStep(config, [step(1, 100), step(2, 120)])).toMatchObject({
      reason: 'throughput stopped rising (100 → 120 req/s at 2)',
    });
  });

  it('stops at the maximum, whether reached exactly or capped', () => {
    const reason = (max: number) => `reached the sweep's maximum (${max}) within the SLOs`;
    expect(nextStep(config, [step(32, 10), step(64, 20)])).toEqual({ done: true, reason: reason(64) });
    expect(nextStep({ ...config, max: 48 }, [step(24, 10), step(48, 20)])).toEqual({ done: true, reason: reason(48) });
    expect(nextStep({ ...config, max: 48 }, [step(16, 10), step(32, 20)])).toEqual({
      done: false,
      level: 48,
      phase: 'grow',
    });
  });

  it('bisects concurrency until good and bad are 1 apart', () => {
    const bad = { sloMet: false, violations: ['e2eMs.p95'] };
    // Good at 4, bad at 8: try 6; good at 6, bad at 8: try 7; good 7, bad 8: 1 apart, done.
    expect(nextStep(config, [step(4, 4), step(8, 4, bad)])).toEqual({ done: false, level: 6, phase: 'refine' });
    expect(nextStep(config, [step(4, 4), step(8, 4, bad), step(6, 6)])).toEqual({
      done: false,
      level: 7,
      phase: 'refine',
    });
    expect(nextStep(config, [step(4, 4), step(8, 4, bad), step(6, 6), step(7, 7)])).toEqual({
      done: true,
      reason: '7 holds the SLOs; 8 does not (e2eMs.p95)',
    });
    // Good at 4, bad at 6: 5 is between them.
    expect(nextStep(config, [step(4, 4), step(6, 4, bad)])).toMatchObject({ level: 5 });
  });

  it('stops refining a rate within 2% of the last good level, not before', () => {
    const rate = { ...config, field: 'load.rate' as const, refine: 10 };
    const bad = { sloMet: false, violations: ['e2eMs.p95'] };
    // 100 good, 102 bad: a gap of 2 = 2% of 100: done. 100 and 102.5: 2.5% apart, bisect to 101.25.
    expect(nextStep(rate, [step(100, 10), step(102, 10, bad)])).toMatchObject({ done: true });
    expect(nextStep(rate, [step(100, 10), step(102.5, 10, bad)])).toEqual({
      done: false,
      level: 101.25,
      phase: 'refine',
    });
  });

  it('puts the knee at the lowest level reaching exactly 90% of the maximum', () => {
    const steps = [step(8, 100), step(2, 50), step(4, 90), step(16, 95)];
    expect(kneeStep(steps)?.level).toBe(4);
    expect(kneeStep([step(1, 0)])).toBeUndefined();
  });
});
