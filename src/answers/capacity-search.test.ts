import { describe, expect, it } from 'vitest';
import { bestStep, kneeStep, nextStep, type StepResult, type SweepConfig } from './capacity-search.js';

const config: SweepConfig = {
  field: 'load.concurrency',
  start: 1,
  factor: 2,
  max: 256,
  refine: 4,
  maxErrorRate: 0.01,
  minGain: 0.05,
};

/** A model endpoint: 1 request/s per unit of concurrency up to `capacity`, then flat and breaking the SLO. */
function measure(level: number, capacity: number): StepResult {
  const ok = level <= capacity;
  return {
    level,
    sloMet: ok,
    violations: ok ? [] : ['e2eMs.p95 1800 > 1500'],
    errorRate: 0,
    throughput: Math.min(level, capacity),
  };
}

function search(capacity: number, cfg = config): { steps: StepResult[]; reason: string } {
  const steps: StepResult[] = [];
  for (let i = 0; i < 50; i++) {
    const next = nextStep(cfg, steps);
    if (next.done) return { steps, reason: next.reason };
    steps.push(measure(next.level, capacity));
  }
  throw new Error('search did not stop');
}

describe('capacity search', () => {
  it.each([4, 6, 13, 100])('finds the exact integer limit %i by growing then bisecting', (capacity) => {
    const exact = { ...config, refine: 10 };
    const { steps, reason } = search(capacity, exact);
    expect(bestStep(exact, steps)?.level).toBe(capacity);
    expect(reason).toMatch(new RegExp(`^${capacity} holds the SLOs; ${capacity + 1} does not`));
    // Growth doubles, so the search is logarithmic, not a grid.
    expect(steps.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(capacity)) + 2);
  });

  it('stops growing when throughput no longer rises, even within the SLO', () => {
    const steps: StepResult[] = [];
    const flat = (level: number): StepResult => ({
      level,
      sloMet: true,
      violations: [],
      errorRate: 0,
      throughput: Math.min(level, 8),
    });
    for (;;) {
      const next = nextStep(config, steps);
      if (next.done) {
        expect(next.reason).toMatch(/throughput stopped rising/);
        break;
      }
      steps.push(flat(next.level));
    }
    expect(steps.map((s) => s.level)).toEqual([1, 2, 4, 8, 16]);
    expect(kneeStep(steps)?.level).toBe(8);
  });

  it('stops refining after `refine` bisections', () => {
    const { steps, reason } = search(100, { ...config, refine: 2 });
    expect(steps.map((s) => s.level)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 96, 112]);
    expect(reason).toMatch(/^96 holds the SLOs; 112 does not/);
  });

  it('treats errors (429s included) as a broken step, not as capacity', () => {
    const steps = [
      { level: 1, sloMet: true, violations: [], errorRate: 0, throughput: 1 },
      { level: 2, sloMet: true, violations: [], errorRate: 0.2, throughput: 1.6 },
    ];
    expect(nextStep({ ...config, refine: 0 }, steps)).toEqual({
      done: true,
      reason: '1 holds the SLOs; 2 does not (error rate 20.0% > 1.0%)',
    });
  });

  it('says when even the first level is too much', () => {
    const next = nextStep(config, [
      { level: 1, sloMet: false, violations: ['ttftMs.p95 900 > 500'], errorRate: 0, throughput: 1 },
    ]);
    expect(next).toEqual({ done: true, reason: 'the first level (1) already broke the SLOs: ttftMs.p95 900 > 500' });
  });

  it('refines rates to within 2%', () => {
    const rateConfig: SweepConfig = { ...config, field: 'load.rate', start: 0.5, refine: 10 };
    const { steps } = search(3.3, rateConfig);
    const best = bestStep(rateConfig, steps)!.level;
    expect(best).toBeLessThanOrEqual(3.3);
    expect(best).toBeGreaterThan(3.3 * 0.95);
  });
});

describe('capacity search: a step runs again until its throughput is stable', () => {
  const stable = { ...config, tolerance: 0.05, maxRequests: 64 };
  /** A step of `requests` requests whose throughput interval is ±(share) of the value. */
  function step(level: number, requests: number, share: number | null, good = true): StepResult {
    const throughput = level;
    return {
      level,
      sloMet: good,
      violations: good ? [] : ['e2eMs.p95 broken'],
      errorRate: 0,
      throughput,
      throughputInterval: share === null ? null : { low: throughput * (1 - share), high: throughput * (1 + share) },
      requests,
    };
  }

  it('runs a good step again with twice the requests while its interval is wider than the tolerance', () => {
    expect(nextStep(stable, [step(1, 16, 0.2)])).toEqual({ done: false, level: 1, phase: 'extend', requests: 32 });
    // No interval at all (too few requests in the steady part) is not stable either.
    expect(nextStep(stable, [step(1, 16, null)])).toEqual({ done: false, level: 1, phase: 'extend', requests: 32 });
    // Within the tolerance is stable: the search moves on.
    expect(nextStep(stable, [step(1, 16, 0.04)])).toEqual({ done: false, level: 2, phase: 'grow' });
  });

  it('stops growing a step at maxRequests, and never grows a bad step or one without a request count', () => {
    expect(nextStep(stable, [step(1, 48, 0.2)])).toEqual({ done: false, level: 1, phase: 'extend', requests: 64 });
    expect(nextStep(stable, [step(1, 64, 0.2)])).toEqual({ done: false, level: 2, phase: 'grow' });
    const bad = nextStep(stable, [step(1, 16, 0.2, false)]);
    expect(bad.done).toBe(true);
    const { requests: _, ...uncounted } = step(1, 16, 0.2);
    expect(nextStep(stable, [uncounted])).toEqual({ done: false, level: 2, phase: 'grow' });
    // A rate sweep (open loop) never grows its steps.
    expect(nextStep({ ...stable, field: 'load.rate' }, [step(1, 16, 0.2)])).toMatchObject({ phase: 'grow', level: 2 });
    // Without a tolerance (run.json files from before) nothing grows.
    expect(nextStep(config, [step(1, 16, 0.2)])).toEqual({ done: false, level: 2, phase: 'grow' });
  });

  it('reads a level measured again by its longer run: for saturation, the answer and the knee', () => {
    // Level 2's short run looked flat against level 1 (noise); its longer run shows the gain.
    const steps = [step(1, 64, 0.01), { ...step(2, 16, 0.3), throughput: 1.01 }, step(2, 32, 0.01)];
    expect(nextStep(stable, steps)).toEqual({ done: false, level: 4, phase: 'grow' });
    // Saturation is judged on the longer run too.
    const flat = [step(1, 64, 0.01), { ...step(2, 64, 0.01), throughput: 1.02 }];
    expect(nextStep(stable, flat)).toMatchObject({ done: true, reason: expect.stringMatching(/stopped rising/) });
    const best = bestStep(stable, [step(4, 16, 0.2), { ...step(4, 32, 0.01), throughput: 3.9 }]);
    expect(best?.throughput).toBe(3.9);
    expect(kneeStep([step(1, 16, 0.01), { ...step(2, 16, 0.3), throughput: 5 }, step(2, 32, 0.01)])?.level).toBe(2);
  });

  it('counts only bisection steps as refinements, not a refined level measured again', () => {
    const cfg = { ...stable, refine: 1 };
    // 1 and 2 good, 4 bad → bisect to 3, which needs a second run before the search may end.
    const steps = [step(1, 64, 0.01), step(2, 64, 0.01), step(4, 64, 0.01, false), step(3, 16, 0.2)];
    expect(nextStep(cfg, steps)).toEqual({ done: false, level: 3, phase: 'extend', requests: 32 });
    const done = nextStep(cfg, [...steps, step(3, 32, 0.01)]);
    expect(done).toMatchObject({ done: true, reason: expect.stringMatching(/^3 holds the SLOs; 4 does not/) });
  });
});
