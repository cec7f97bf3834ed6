// What autocannon runs of a load plan, and what it refuses before anything is sent.
import { describe, expect, it } from 'vitest';
import { planAutocannon } from '../../src/engines/autocannon/plan.js';
import { createPhases } from '../../src/schedule/phases.js';
import { parseScenario, type Variant } from '../../src/scenario/load.js';

function variant(yaml: string): Variant {
  return parseScenario(`name: t\n${yaml}`, 't.yaml').variants[0] as Variant;
}

describe('planAutocannon', () => {
  it("closed loop: one connection per user, the timeout above /runsync's wait", () => {
    const result = planAutocannon(variant('mode: sync\nload: { concurrency: 8, requests: 100, warmup: 5 }'));
    expect(result).toEqual({
      ok: true,
      plan: { connections: 8, timeoutSec: 150, warmup: { requests: 5, durationMs: 0 }, requests: 100 },
    });
  });

  it('rate-capped: maxInFlight connections, never more than the rate', () => {
    const plan = (yaml: string) => {
      const r = planAutocannon(variant(yaml));
      if (!r.ok) throw new Error(r.problems.join('\n'));
      return r.plan;
    };
    expect(plan('mode: openai\nload: { rate: 50, maxInFlight: 16, duration: 10s }')).toMatchObject({
      connections: 16,
      overallRate: 50,
      timeoutSec: 60,
    });
    expect(plan('mode: sync\nload: { rate: 4, maxInFlight: 16, duration: 10s }')).toMatchObject({
      connections: 4,
      overallRate: 4,
    });
    expect(plan('mode: sync\nload: { concurrency: 16, requests: 3 }')).toMatchObject({ connections: 3 });
  });

  it.each([
    ['mode: async\nload: { concurrency: 1, requests: 1 }', /mode async: autocannon sends one kind of request/],
    ['mode: stream\nload: { concurrency: 1, requests: 1 }', /mode stream/],
    ['mode: openai-stream\nload: { concurrency: 1, requests: 1 }', /mode openai-stream/],
    ['mode: sync\nload: { rate: 5, requests: 10 }', /load.rate without load.maxInFlight/],
    ['mode: sync\nload: { rate: 2.5, maxInFlight: 2, requests: 10 }', /whole requests per second/],
    ['mode: sync\nload: { rate: 5, maxInFlight: 2, requests: 10, arrival: poisson }', /poisson/],
    ['mode: sync\nload: { concurrency: 1, duration: 10s, stages: [{ duration: 5s, concurrency: 4 }] }', /load.stages/],
    ['mode: sync\nload: { probes: 3, gap: 1s }', /load.probes/],
  ])('refuses %j', (yaml, message) => {
    const result = planAutocannon(variant(yaml));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(message);
  });
});

describe('createPhases', () => {
  it('warmup until both its count and its duration are met, then the measured count', () => {
    const phases = createPhases({ warmup: { requests: 2, durationMs: 100 }, requests: 2 }, 0);
    expect([phases.next(0), phases.next(10), phases.next(50)]).toEqual(['warmup', 'warmup', 'warmup']);
    expect(phases.measureStartMs()).toBeUndefined();
    expect(phases.next(100)).toBe('measure');
    expect(phases.measureStartMs()).toBe(100);
    expect(phases.exhausted()).toBe(false);
    expect(phases.next(101)).toBe('measure');
    expect(phases.exhausted()).toBe(true);
    expect(phases.next(102)).toBeUndefined();
  });
});
