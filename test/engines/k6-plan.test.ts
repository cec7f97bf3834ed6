// The load plan → k6 executor mapping, and what k6 refuses before anything is sent.
import { describe, expect, it } from 'vitest';
import { planK6, stagesFor } from '../../src/engines/k6/plan.js';
import { parseScenario, type Variant } from '../../src/scenario/load.js';

function variant(yaml: string): Variant {
  return parseScenario(`name: t\n${yaml}`, 't.yaml').variants[0] as Variant;
}

function plan(yaml: string) {
  const result = planK6(variant(yaml));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.plan;
}

function problems(yaml: string): string[] {
  const result = planK6(variant(yaml));
  return result.ok ? [] : result.problems;
}

describe('planK6', () => {
  it('closed loop with a request count: shared-iterations, warmup as the first iterations', () => {
    const p = plan('mode: sync\nload: { concurrency: 4, requests: 40, warmup: 5 }');
    expect(p.executor).toMatchObject({ executor: 'shared-iterations', vus: 4, iterations: 45 });
    expect(p).toMatchObject({ warmupIterations: 5, warmupMs: 0, expectedIterations: 45, gracefulStopMs: 600_000 });
  });

  it('budget.maxRequests caps the iterations: a shared count ends there, the others send nothing past it', () => {
    const shared = plan('mode: sync\nbudget: { maxRequests: 30 }\nload: { concurrency: 4, requests: 40, warmup: 5 }');
    expect(shared.executor).toMatchObject({ executor: 'shared-iterations', iterations: 30 });
    expect(shared.iterationCap).toBe(30);
    expect(plan('mode: sync\nbudget: { maxRequests: 7 }\nload: { concurrency: 2, duration: 30s }').iterationCap).toBe(
      7,
    );
    const open = plan('mode: sync\nbudget: { maxRequests: 100 }\nload: { rate: 10, duration: 60s }');
    expect(open.iterationCap).toBe(100);
    // A budget above the plan's own count changes nothing.
    expect(plan('mode: sync\nbudget: { maxRequests: 1000 }\nload: { rate: 10, duration: 60s }').iterationCap).toBe(600);
    expect(plan('mode: sync\nload: { concurrency: 2, duration: 30s }').iterationCap).toBeUndefined();
  });

  it('never more VUs than requests', () => {
    expect(plan('mode: sync\nload: { concurrency: 8, requests: 3 }').executor).toMatchObject({ vus: 3, iterations: 3 });
  });

  it('closed loop with a duration: constant-vus for warmup + duration, warmup by time', () => {
    const p = plan('mode: async\nload: { concurrency: 2, duration: 30s, warmup: 5s }');
    expect(p.executor).toEqual({ executor: 'constant-vus', vus: 2, durationMs: 35_000 });
    expect(p).toMatchObject({ warmupIterations: 0, warmupMs: 5000 });
    expect(p.expectedIterations).toBeUndefined();
  });

  it('closed-loop stages: ramping-vus after a warmup stage at the starting level, cut at load.duration', () => {
    const p = plan(
      'mode: stream\nload: { concurrency: 2, warmup: 2s, duration: 15s, stages: [{ duration: 10s, concurrency: 10 }, { duration: 10s, concurrency: 0 }] }',
    );
    expect(p.executor).toEqual({
      executor: 'ramping-vus',
      startVUs: 2,
      stages: [
        { durationMs: 2000, target: 2 },
        { durationMs: 10_000, target: 10 },
        { durationMs: 5000, target: 5 },
      ],
    });
  });

  it('open loop at a constant rate: constant-arrival-rate capped at exactly warmup + measured arrivals', () => {
    const p = plan('mode: sync\nload: { rate: 20, requests: 30, warmup: 1s }');
    expect(p.executor).toMatchObject({ executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', durationMs: 2500 });
    expect(p).toMatchObject({ warmupIterations: 20, iterationCap: 50, expectedIterations: 50 });
  });

  it('k6 executors last at least 1 s: a short burst is capped by iteration count instead', () => {
    const p = plan('mode: sync\nload: { rate: 100, requests: 5 }');
    expect(p.executor).toMatchObject({ durationMs: 1000 });
    expect(p.iterationCap).toBe(5);
  });

  it('fractional rates use a 1000 s time unit', () => {
    expect(plan('mode: sync\nload: { rate: 2.5, duration: 10s }').executor).toMatchObject({
      rate: 2500,
      timeUnit: '1000s',
      durationMs: 10_000,
    });
  });

  it('enough VUs for the slowest request the scenario allows, within a cap', () => {
    const p = plan('mode: sync\nload: { rate: 2, duration: 10s }\ntimeouts: { request: 30s }');
    expect(p.executor).toMatchObject({ preAllocatedVUs: 20, maxVUs: 60 });
  });

  it('open-loop stages: ramping-arrival-rate', () => {
    const p = plan('mode: sync\nload: { rate: 10, duration: 20s, stages: [{ duration: 10s, rate: 40 }] }');
    expect(p.executor).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 10,
      stages: [
        { durationMs: 10_000, target: 40 },
        { durationMs: 10_000, target: 40 },
      ],
    });
  });

  it.each([
    [
      'mode: openai-stream\nload: { concurrency: 1, requests: 1 }',
      /openai-stream: k6 reads a response body only whole/,
    ],
    ['mode: sync\nload: { rate: 5, requests: 10, arrival: poisson }', /poisson: k6 has no Poisson executor/],
    ['mode: sync\nload: { rate: 5, requests: 10, maxInFlight: 4 }', /maxInFlight: k6 drops an arrival/],
    ['mode: sync\nload: { concurrency: 2, requests: 10, warmup: 5s }', /warmup as a duration with load.requests/],
    ['mode: sync\nload: { concurrency: 2, duration: 10s, warmup: 5 }', /warmup as a request count with load.duration/],
    [
      'mode: sync\nload: { concurrency: 2, requests: 10, stages: [{ duration: 5s, concurrency: 4 }] }',
      /load.requests with load.stages/,
    ],
    ['mode: sync\nload: { concurrency: 2, duration: 500ms }', /under 1 s/],
    ['mode: sync\nload: { probes: 3, gap: 1s }', /load.probes/],
  ])('refuses %j', (yaml, message) => {
    expect(problems(yaml).join('\n')).toMatch(message);
  });
});

describe('stagesFor', () => {
  it('holds the last level until load.duration', () => {
    const v = variant('load: { concurrency: 1, duration: 30s, stages: [{ duration: 10s, concurrency: 4 }] }');
    expect(stagesFor(v.plan, Math.round)).toEqual([
      { durationMs: 10_000, target: 4 },
      { durationMs: 20_000, target: 4 },
    ]);
  });
});
